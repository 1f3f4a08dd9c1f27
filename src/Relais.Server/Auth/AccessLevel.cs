namespace Relais.Server.Auth;

/// <summary>
/// GitLab's roles, with GitLab's numbers (the <c>access_level</c> of members, protected refs and the API). An
/// administrator counts as <see cref="Owner"/> everywhere; <see cref="NoAccess"/> is a non-member.
/// </summary>
public enum AccessLevel
{
    NoAccess = 0,
    MinimalAccess = 5,
    Guest = 10,
    Reporter = 20,
    Developer = 30,
    Maintainer = 40,
    Owner = 50,
}
