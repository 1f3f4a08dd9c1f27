using Relais.Server.Registry;

namespace Relais.Server.Tests.Registry;

/// <summary>The registry's CA handed to the host's Docker (<c>certs.d/HOST:PORT/ca.crt</c>), or an instruction when it cannot be.</summary>
public sealed class RegistryHostTrustTests
{
    [Fact]
    public async Task Where_certs_d_cannot_be_written_it_says_what_to_copy_where()
    {
        using var folder = new TempDirectory("certs.d");
        var notAFolder = folder.Write("certs.d", "a file where the folder should be");
        using var log = new StringWriter();

        var written = await RegistryHostTrust.WriteAsync(notAFolder, "172.17.0.1:5050", "-----BEGIN CERTIFICATE-----", "/data/registry/ca.crt", log);

        Assert.Null(written);
        Assert.Contains($"copy /data/registry/ca.crt there on every host whose Docker pushes to or pulls from 172.17.0.1:5050", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_file_is_removed_only_while_it_still_holds_this_ca()
    {
        using var folder = new TempDirectory("certs.d");
        using var log = new StringWriter();
        var ours = (await RegistryHostTrust.WriteAsync(folder.Path, "172.17.0.1:5050", "ours", "/x", log))!;
        var theirs = (await RegistryHostTrust.WriteAsync(folder.Path, "172.17.0.1:5051", "ours", "/x", log))!;
        await File.WriteAllTextAsync(theirs, "an operator's own CA");

        RegistryHostTrust.Remove(ours, "ours");
        RegistryHostTrust.Remove(theirs, "ours");

        Assert.False(Directory.Exists(Path.GetDirectoryName(ours)));
        Assert.True(File.Exists(theirs));
    }
}
