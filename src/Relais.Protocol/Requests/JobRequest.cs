namespace Relais.Protocol.Requests;

/// <summary>The body of <c>POST /api/v4/jobs/request</c>: a runner asking for a job.</summary>
public sealed record JobRequest
{
    /// <summary>The runner token (also accepted as the <c>RUNNER-TOKEN</c> header).</summary>
    public string Token { get; set; } = "";

    /// <summary>Identifies the runner manager (host or process) using the token.</summary>
    public string? SystemId { get; set; }

    /// <summary>The last <c>X-GitLab-Last-Update</c> value seen, echoed back for long polling.</summary>
    public string? LastUpdate { get; set; }

    /// <summary>What the runner is and can do.</summary>
    public RunnerDetails Info { get; set; } = new();

    /// <summary>The interactive session endpoint, when the runner offers one.</summary>
    public RunnerSession? Session { get; set; }
}

/// <summary>The runner's self-description (<c>info</c>), sent with job requests and updates.</summary>
public sealed record RunnerDetails
{
    /// <summary>The program name.</summary>
    public string? Name { get; set; }

    /// <summary>The program version.</summary>
    public string? Version { get; set; }

    /// <summary>The source revision.</summary>
    public string? Revision { get; set; }

    /// <summary><c>linux</c>, ...</summary>
    public string? Platform { get; set; }

    /// <summary><c>amd64</c>, <c>arm64</c>, ...</summary>
    public string? Architecture { get; set; }

    /// <summary>The executor name (<c>shell</c>, <c>docker</c>).</summary>
    public string? Executor { get; set; }

    /// <summary>The shell (<c>bash</c>, <c>sh</c>).</summary>
    public string? Shell { get; set; }

    /// <summary>What the runner supports.</summary>
    public RunnerFeatures? Features { get; set; }

    /// <summary>Runner configuration the server may show.</summary>
    public IReadOnlyDictionary<string, string>? Config { get; set; }

    /// <summary>Free-form labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; set; }
}

/// <summary>The runner's feature flags (<c>info.features</c>).</summary>
public sealed record RunnerFeatures
{
    /// <summary>Understands variables.</summary>
    public bool Variables { get; set; }

    /// <summary>Understands images.</summary>
    public bool Image { get; set; }

    /// <summary>Understands services.</summary>
    public bool Services { get; set; }

    /// <summary>Uploads artifacts.</summary>
    public bool Artifacts { get; set; }

    /// <summary>Handles caches.</summary>
    public bool Cache { get; set; }

    /// <summary>Tries cache fallback keys.</summary>
    public bool FallbackCacheKeys { get; set; }

    /// <summary>Shares the environment between jobs.</summary>
    public bool Shared { get; set; }

    /// <summary>Uploads several artifacts per job.</summary>
    public bool UploadMultipleArtifacts { get; set; }

    /// <summary>Uploads raw artifacts.</summary>
    public bool UploadRawArtifacts { get; set; }

    /// <summary>Offers an interactive session.</summary>
    public bool Session { get; set; }

    /// <summary>Offers a web terminal.</summary>
    public bool Terminal { get; set; }

    /// <summary>Fetches the refspecs of the payload.</summary>
    public bool Refspecs { get; set; }

    /// <summary>Masks variables.</summary>
    public bool Masking { get; set; }

    /// <summary>Proxies service ports.</summary>
    public bool Proxy { get; set; }

    /// <summary>Honours raw variables.</summary>
    public bool RawVariables { get; set; }

    /// <summary>Honours <c>artifacts:exclude</c>.</summary>
    public bool ArtifactsExclude { get; set; }

    /// <summary>Runs several build steps.</summary>
    public bool MultiBuildSteps { get; set; }

    /// <summary>Resends the trace from an offset.</summary>
    public bool TraceReset { get; set; }

    /// <summary>Sends a trace checksum.</summary>
    public bool TraceChecksum { get; set; }

    /// <summary>Sends the trace size.</summary>
    public bool TraceSize { get; set; }

    /// <summary>Resolves Vault secrets.</summary>
    public bool VaultSecrets { get; set; }

    /// <summary>Can be canceled.</summary>
    public bool Cancelable { get; set; }

    /// <summary>Reports the script's exit code.</summary>
    public bool ReturnExitCode { get; set; }

    /// <summary>Passes service variables.</summary>
    public bool ServiceVariables { get; set; }

    /// <summary>Supports several aliases per service.</summary>
    public bool ServiceMultipleAliases { get; set; }

    /// <summary>Honours image executor options.</summary>
    public bool ImageExecutorOpts { get; set; }

    /// <summary>Honours service executor options.</summary>
    public bool ServiceExecutorOpts { get; set; }

    /// <summary>Runs after_script on a graceful cancel.</summary>
    public bool CancelGracefully { get; set; }

    /// <summary>Accepts a job with a <c>PUT state=running</c> first.</summary>
    public bool TwoPhaseJobCommit { get; set; }

    /// <summary>
    /// A Relais addition (<c>untrusted_jobs</c>): the runner may be given jobs of untrusted projects, because it runs
    /// them isolated from its host (in containers) or its operator allowed it (<c>allow_untrusted</c>).
    /// </summary>
    public bool UntrustedJobs { get; set; }
}

/// <summary>The runner's interactive session endpoint.</summary>
public sealed record RunnerSession
{
    /// <summary>The session URL.</summary>
    public string? Url { get; set; }

    /// <summary>The server certificate (PEM).</summary>
    public string? Certificate { get; set; }

    /// <summary>The authorization token.</summary>
    public string? Authorization { get; set; }
}
