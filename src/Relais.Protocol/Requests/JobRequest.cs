namespace Relais.Protocol.Requests;

/// <summary>The body of <c>POST /api/v4/jobs/request</c>: a runner asking for a job.</summary>
public sealed record JobRequest
{
    /// <summary>The runner token (also accepted as the <c>RUNNER-TOKEN</c> header).</summary>
    public string Token { get; init; } = "";

    /// <summary>Identifies the runner manager (host or process) using the token.</summary>
    public string? SystemId { get; init; }

    /// <summary>The last <c>X-GitLab-Last-Update</c> value seen, echoed back for long polling.</summary>
    public string? LastUpdate { get; init; }

    /// <summary>What the runner is and can do.</summary>
    public RunnerDetails Info { get; init; } = new();

    /// <summary>The interactive session endpoint, when the runner offers one.</summary>
    public RunnerSession? Session { get; init; }
}

/// <summary>The runner's self-description (<c>info</c>), sent with job requests and updates.</summary>
public sealed record RunnerDetails
{
    /// <summary>The program name.</summary>
    public string? Name { get; init; }

    /// <summary>The program version.</summary>
    public string? Version { get; init; }

    /// <summary>The source revision.</summary>
    public string? Revision { get; init; }

    /// <summary><c>linux</c>, ...</summary>
    public string? Platform { get; init; }

    /// <summary><c>amd64</c>, <c>arm64</c>, ...</summary>
    public string? Architecture { get; init; }

    /// <summary>The executor name (<c>shell</c>, <c>docker</c>).</summary>
    public string? Executor { get; init; }

    /// <summary>The shell (<c>bash</c>, <c>sh</c>).</summary>
    public string? Shell { get; init; }

    /// <summary>What the runner supports.</summary>
    public RunnerFeatures? Features { get; init; }

    /// <summary>Runner configuration the server may show.</summary>
    public IReadOnlyDictionary<string, string>? Config { get; init; }

    /// <summary>Free-form labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

/// <summary>The runner's feature flags (<c>info.features</c>).</summary>
public sealed record RunnerFeatures
{
    /// <summary>Understands variables.</summary>
    public bool Variables { get; init; }

    /// <summary>Understands images.</summary>
    public bool Image { get; init; }

    /// <summary>Understands services.</summary>
    public bool Services { get; init; }

    /// <summary>Uploads artifacts.</summary>
    public bool Artifacts { get; init; }

    /// <summary>Handles caches.</summary>
    public bool Cache { get; init; }

    /// <summary>Tries cache fallback keys.</summary>
    public bool FallbackCacheKeys { get; init; }

    /// <summary>Shares the environment between jobs.</summary>
    public bool Shared { get; init; }

    /// <summary>Uploads several artifacts per job.</summary>
    public bool UploadMultipleArtifacts { get; init; }

    /// <summary>Uploads raw artifacts.</summary>
    public bool UploadRawArtifacts { get; init; }

    /// <summary>Offers an interactive session.</summary>
    public bool Session { get; init; }

    /// <summary>Offers a web terminal.</summary>
    public bool Terminal { get; init; }

    /// <summary>Fetches the refspecs of the payload.</summary>
    public bool Refspecs { get; init; }

    /// <summary>Masks variables.</summary>
    public bool Masking { get; init; }

    /// <summary>Proxies service ports.</summary>
    public bool Proxy { get; init; }

    /// <summary>Honours raw variables.</summary>
    public bool RawVariables { get; init; }

    /// <summary>Honours <c>artifacts:exclude</c>.</summary>
    public bool ArtifactsExclude { get; init; }

    /// <summary>Runs several build steps.</summary>
    public bool MultiBuildSteps { get; init; }

    /// <summary>Resends the trace from an offset.</summary>
    public bool TraceReset { get; init; }

    /// <summary>Sends a trace checksum.</summary>
    public bool TraceChecksum { get; init; }

    /// <summary>Sends the trace size.</summary>
    public bool TraceSize { get; init; }

    /// <summary>Resolves Vault secrets.</summary>
    public bool VaultSecrets { get; init; }

    /// <summary>Can be canceled.</summary>
    public bool Cancelable { get; init; }

    /// <summary>Reports the script's exit code.</summary>
    public bool ReturnExitCode { get; init; }

    /// <summary>Passes service variables.</summary>
    public bool ServiceVariables { get; init; }

    /// <summary>Supports several aliases per service.</summary>
    public bool ServiceMultipleAliases { get; init; }

    /// <summary>Honours image executor options.</summary>
    public bool ImageExecutorOpts { get; init; }

    /// <summary>Honours service executor options.</summary>
    public bool ServiceExecutorOpts { get; init; }

    /// <summary>Runs after_script on a graceful cancel.</summary>
    public bool CancelGracefully { get; init; }

    /// <summary>Accepts a job with a <c>PUT state=running</c> first.</summary>
    public bool TwoPhaseJobCommit { get; init; }
}

/// <summary>The runner's interactive session endpoint.</summary>
public sealed record RunnerSession
{
    /// <summary>The session URL.</summary>
    public string? Url { get; init; }

    /// <summary>The server certificate (PEM).</summary>
    public string? Certificate { get; init; }

    /// <summary>The authorization token.</summary>
    public string? Authorization { get; init; }
}
