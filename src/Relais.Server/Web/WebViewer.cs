using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Web;

/// <summary>
/// Who is looking at a page: a signed-in user (cookie session), a user sending a personal access token in a
/// header (scripts), or nobody. <see cref="SessionId"/> is the cookie session's row (null otherwise); <see cref="Members"/> their memberships, read once per request. Access rules are the REST API's (<see cref="ApiCaller"/>).
/// </summary>
internal sealed record WebViewer(UserRecord? User, string? SessionToken, bool ByHeaderToken = false, long? SessionId = null, Memberships? Members = null)
{
    public static WebViewer Anonymous { get; } = new(null, null);

    public ApiCaller Caller => new(User, null, Members);

    public bool SignedIn => User is not null;

    /// <summary>Whether this server runs a container registry (issue #15): project pages then link its page.</summary>
    public bool ContainerRegistry { get; init; }

    /// <summary>
    /// The anti-forgery token of this session, put in every form: derived from the session's secret, so another
    /// site cannot know it, and it dies with the session. Null without a session.
    /// </summary>
    public string? CsrfToken => SessionToken is null ? null : Tokens.Hash("csrf:" + SessionToken)[..40];
}
