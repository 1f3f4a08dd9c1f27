using System.Globalization;

namespace Relais.Server.Storage;

/// <summary>
/// What the stores' shared SQL needs to differ between SQLite and PostgreSQL. Everything else is
/// written once, portably: <c>RETURNING</c>, <c>ON CONFLICT</c>, <c>TRUE</c>/<c>FALSE</c> literals, times passed as UTC
/// <see cref="DateTimeOffset"/> parameters.
/// </summary>
internal sealed record SqlDialect
{
    /// <summary>SQLite: every write transaction is <c>BEGIN IMMEDIATE</c>, so the database serialises writers and needs no row locks.</summary>
    public static readonly SqlDialect Sqlite = new()
    {
        Name = "sqlite",
        LockPipeline = "",
        Json = "",
        ListMatch = "IN @{0}",
        ClaimJob = """
            UPDATE jobs SET status = 'running', runner_id = @RunnerId, token_hash = @TokenHash, started_at = @At
            WHERE id = @JobId AND status = 'pending'
            """,
    };

    /// <summary>
    /// PostgreSQL (read committed): a transition locks its pipeline row (<c>FOR UPDATE</c>), which serialises the
    /// transitions of one pipeline across coordinators; the claim skips a job row another transaction holds
    /// (<c>FOR NO KEY UPDATE SKIP LOCKED</c>) instead of queueing behind it, and is conditional on <c>pending</c>, so at
    /// most one claim of a job ever commits. <c>NO KEY</c>: a row inserted elsewhere that references the job (a
    /// deployment's <c>job_id</c>) holds a key-share lock on it for a moment, which must not make a claim skip the job.
    /// </summary>
    public static readonly SqlDialect Postgres = new()
    {
        Name = "postgres",
        LockPipeline = "SELECT id FROM pipelines WHERE id = @pipelineId FOR UPDATE",
        Json = "::jsonb",
        ListMatch = "= ANY(@{0})",
        ClaimJob = """
            UPDATE jobs SET status = 'running', runner_id = @RunnerId, token_hash = @TokenHash, started_at = @At
            WHERE id = (SELECT id FROM jobs WHERE id = @JobId AND status = 'pending' FOR NO KEY UPDATE SKIP LOCKED)
            """,
    };

    public string Name { get; private init; } = "";

    /// <summary>
    /// Run first in a transition, before the claim (so every transaction takes the pipeline lock before any job row
    /// lock, and none can deadlock): locks the pipeline row until commit. Empty when the database needs no row locks.
    /// </summary>
    public string LockPipeline { get; private init; } = "";

    /// <summary>Appended to a parameter that goes into a JSON column (a cast on PostgreSQL's <c>jsonb</c>).</summary>
    public string Json { get; private init; } = "";

    /// <summary>
    /// The format of a match against a list parameter (pass an array): Dapper expands <c>IN @list</c> on SQLite, but
    /// hands PostgreSQL the array as one parameter, which needs <c>= ANY(@list)</c>.
    /// </summary>
    public string ListMatch { get; private init; } = "";

    /// <summary>Moves one job from <c>pending</c> to <c>running</c> for a <see cref="JobClaim"/>; affects 1 row when won, 0 when lost.</summary>
    public string ClaimJob { get; private init; } = "";

    /// <summary>A condition on a column: its value is in the array parameter <paramref name="parameter"/>.</summary>
    public string InList(string parameter) => string.Format(CultureInfo.InvariantCulture, ListMatch, parameter);
}
