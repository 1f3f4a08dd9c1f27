using System.Formats.Tar;
using System.Text;
using Relais.Protocol.Jobs;
using Relais.Runner.Trace;
using Relais.Runner.Variables;

namespace Relais.Runner.Docker;

/// <summary>
/// The CA of the coordinator's container registry (issue #15), from a job's <c>RELAIS_REGISTRY_CA_FILE</c> and
/// <c>CI_REGISTRY</c>: Docker daemons trust a registry whose certificate it signed when it is at
/// <c>/etc/docker/certs.d/HOST:PORT/ca.crt</c>, read at each pull and push. The executors put it there in service and
/// job containers (<see cref="Tar"/>) and on the runner's host (<see cref="TrustOnHost"/>).
/// </summary>
public sealed record RegistryCa(string Address, string Pem)
{
    /// <summary>The file-type variable the coordinator sends the CA in.</summary>
    public const string Variable = "RELAIS_REGISTRY_CA_FILE";

    /// <summary>Where a Docker daemon looks for per-registry CAs.</summary>
    public const string DockerCertsDir = "/etc/docker/certs.d";

    /// <summary>The host's certs folder the executors write to by default: Docker's, when the runner runs as root.</summary>
    public static string? DefaultHostCertsDir => Environment.IsPrivilegedProcess ? DockerCertsDir : null;

    /// <summary>The job's registry CA, or null when it has none (or <c>CI_REGISTRY</c> is no plain <c>host[:port]</c>).</summary>
    public static RegistryCa? Of(JobVariables variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var address = variables.Get("CI_REGISTRY");
        var pem = variables.Find(Variable)?.Value;
        return string.IsNullOrWhiteSpace(pem) || address is null || !IsAddress(address) ? null : new RegistryCa(address, pem);
    }

    /// <summary>
    /// Whether the coordinator itself names this registry (the payload's <c>credentials</c>, which a job cannot set):
    /// only then does the runner's host trust the CA.
    /// </summary>
    public bool IsTheCoordinators(IEnumerable<JobCredential> credentials) =>
        credentials.Any(c => c.Type == "registry" && string.Equals(c.Url, Address, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Puts <c>/etc/docker/certs.d/ADDRESS/ca.crt</c> into a created container before it starts (the archive API: works
    /// with a remote engine and leaves nothing on the host). A failure is a warning in the job log.
    /// </summary>
    public async Task PutIntoAsync(DockerClient docker, string containerId, IJobLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(docker);
        ArgumentNullException.ThrowIfNull(log);
        try
        {
            await using var tar = Tar();
            await docker.PutArchiveAsync(containerId, "/", tar, cancellationToken);
        }
        catch (DockerApiException e)
        {
            log.Warning($"could not put the registry's CA into the container: {e.EngineMessage} (pushes and pulls to {Address} may fail)");
        }
    }

    /// <summary>A tar to extract at <c>/</c>: <c>etc/docker/certs.d/ADDRESS/ca.crt</c> and its folders (an image may have no <c>/etc</c>).</summary>
    public MemoryStream Tar()
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            const UnixFileMode dir = (UnixFileMode)0b111_101_101;
            foreach (var folder in new[] { "etc/", "etc/docker/", "etc/docker/certs.d/", $"etc/docker/certs.d/{Address}/" })
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, folder) { Mode = dir });
            }

            using var data = new MemoryStream(Encoding.UTF8.GetBytes(Pem));
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"etc/docker/certs.d/{Address}/ca.crt") { Mode = (UnixFileMode)0b110_100_100, DataStream = data });
        }

        tar.Position = 0;
        return tar;
    }

    /// <summary>
    /// Writes <c>CERTS_DIR/ADDRESS/ca.crt</c> when it is missing or different, so the host's Docker pulls <c>image:</c>
    /// and <c>services:</c> from the registry; says so in the job log. A failure is a warning.
    /// </summary>
    public void TrustOnHost(string certsDir, IJobLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var file = Path.Combine(certsDir, Address, "ca.crt");
        try
        {
            if (File.Exists(file) && File.ReadAllText(file) == Pem)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var temp = file + ".relais-tmp";
            File.WriteAllText(temp, Pem);
            File.Move(temp, file, overwrite: true);
            log.Info($"Trusting the registry's CA on this host: wrote {file}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning($"could not write the registry's CA to {file}: {e.Message} (pulls from {Address} may fail)");
        }
    }

    /// <summary>A <c>host[:port]</c> safe as a folder name: letters, digits, <c>.-:[]</c>, no <c>..</c>.</summary>
    private static bool IsAddress(string address) =>
        address.Length is > 0 and < 256 && !address.Contains("..", StringComparison.Ordinal) && address[0] != '.'
        && address.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']');
}
