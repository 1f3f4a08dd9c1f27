using Relais.Pipelines.Context;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines;

/// <summary>
/// Turns the user who caused a pipeline (a pusher, an API caller, a schedule's or trigger's owner) into the
/// pipeline's <see cref="PipelineUser"/>: its id, login, display name (the username until one is set) and email.
/// </summary>
public sealed class PipelineUsers(IIdentityStore identities)
{
    public async Task<PipelineUser?> OfAsync(UserRecord? user, CancellationToken cancel = default)
    {
        if (user is null)
        {
            return null;
        }

        var account = await identities.GetUserAccountAsync(user.Id, cancel);
        return new PipelineUser(user.Id, user.Username, account?.Name ?? user.Username, account?.Email ?? "");
    }

    /// <summary>The user a pipeline recorded (<see cref="PipelineRecord.UserId"/>); null when none was or the user is gone.</summary>
    public async Task<UserRecord?> RecordedAsync(long? userId, CancellationToken cancel = default) =>
        userId is { } id ? await identities.GetUserAsync(id, cancel) : null;
}
