namespace Relais.Server.Security;

/// <summary>
/// The largest request body each kind of endpoint accepts. A body past its limit is answered 413 with GitLab's
/// <c>{"message": …}</c> and nothing is stored. <see cref="BodyLimitPolicy"/> says which endpoint gets which limit.
/// </summary>
public sealed record RequestLimits
{
    private const long MiB = 1024 * 1024;

    /// <summary>REST and runner API JSON or form bodies (default 1 MiB).</summary>
    public long ApiBody { get; init; } = 1 * MiB;

    /// <summary>One <c>PATCH /jobs/:id/trace</c> (default 8 MiB; runners send far less per patch).</summary>
    public long TracePatch { get; init; } = 8 * MiB;

    /// <summary>One artifact upload, multipart included (default 100 MiB, GitLab's default maximum artifacts size).</summary>
    public long Artifact { get; init; } = 100 * MiB;

    /// <summary>One <c>git push</c>: the request body, and the same again after gunzipping (default 512 MiB).</summary>
    public long Push { get; init; } = 512 * MiB;

    /// <summary>One fetch negotiation (<c>git-upload-pack</c> request body; default 16 MiB).</summary>
    public long FetchNegotiation { get; init; } = 16 * MiB;
}
