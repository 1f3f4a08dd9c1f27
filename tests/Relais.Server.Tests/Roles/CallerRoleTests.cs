using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Tests.Roles;

/// <summary>The role a caller has on a project: administrator, own namespace, direct and inherited memberships, public visibility.</summary>
public sealed class CallerRoleTests
{
    private static readonly ProjectRecord PrivateApp = new() { Id = 7, Path = "acme/web/app", Visibility = "private" };
    private static readonly ProjectRecord PublicApp = new() { Id = 8, Path = "acme/site", Visibility = "public" };

    private static ApiCaller Caller(string name, bool admin = false, Memberships? members = null) =>
        new(new UserRecord { Id = 2, Username = name, IsAdmin = admin }, null, members);

    [Fact]
    public void An_administrator_is_owner_everywhere()
    {
        Assert.Equal(AccessLevel.Owner, Caller("root", admin: true).LevelIn(PrivateApp));
    }

    [Fact]
    public void A_user_owns_the_projects_of_their_own_namespace()
    {
        var own = new ProjectRecord { Id = 9, Path = "alice/tool" };
        Assert.Equal(AccessLevel.Owner, Caller("alice").LevelIn(own));
        Assert.Equal(AccessLevel.NoAccess, Caller("alice").LevelIn(PrivateApp));
        Assert.False(Caller("alice").CanSee(PrivateApp));
    }

    [Fact]
    public void A_group_membership_is_inherited_by_projects_in_subgroups_and_the_highest_role_wins()
    {
        var members = new Memberships(
            new Dictionary<long, AccessLevel> { [7] = AccessLevel.Reporter },
            new Dictionary<string, AccessLevel>(StringComparer.Ordinal) { ["acme"] = AccessLevel.Developer, ["acme/other"] = AccessLevel.Owner });
        Assert.Equal(AccessLevel.Developer, Caller("dev", members: members).LevelIn(PrivateApp));
        Assert.True(Caller("dev", members: members).CanWrite(PrivateApp));
        Assert.False(Caller("dev", members: members).Has(PrivateApp, AccessLevel.Maintainer));
    }

    [Fact]
    public void A_guest_sees_a_private_project_but_cannot_read_its_code()
    {
        var members = new Memberships(new Dictionary<long, AccessLevel> { [7] = AccessLevel.Guest }, Memberships.None.Namespaces);
        var guest = Caller("guest", members: members);
        Assert.True(guest.CanSee(PrivateApp));
        Assert.False(guest.CanRead(PrivateApp));
    }

    [Fact]
    public void Everyone_reads_a_public_project_as_a_reporter_but_nobody_writes_it_without_a_role()
    {
        var anonymous = new ApiCaller((UserRecord?)null);
        Assert.True(anonymous.CanRead(PublicApp));
        Assert.False(anonymous.CanWrite(PublicApp));
        Assert.Equal(AccessLevel.NoAccess, anonymous.LevelIn(PublicApp));
        Assert.False(Caller("bob").CanWrite(PublicApp));
    }
}
