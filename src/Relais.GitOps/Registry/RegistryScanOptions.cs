namespace Relais.GitOps.Registry;

/// <summary>How a <see cref="RegistryScanner"/> reaches a registry.</summary>
public sealed record RegistryScanOptions
{
    /// <summary>Plain HTTP instead of HTTPS.</summary>
    public bool Insecure { get; init; }

    /// <summary>A PEM file of the certificate authority the registry's TLS certificate is checked against (else the system's).</summary>
    public string? CaFile { get; init; }

    /// <summary>Credentials; anonymous when null.</summary>
    public RegistryCredentials? Credentials { get; init; }

    /// <summary>Tags asked for per page (<c>n</c>).</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>Attempts of one request on 429 and 5xx answers before giving up.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The first back-off delay; doubled per attempt, with jitter.</summary>
    public TimeSpan InitialBackOff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest back-off delay (also caps <c>Retry-After</c>).</summary>
    public TimeSpan MaxBackOff { get; init; } = TimeSpan.FromSeconds(30);
}
