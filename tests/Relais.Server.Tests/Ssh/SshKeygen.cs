using System.Diagnostics;
using Relais.TestSupport;

namespace Relais.Server.Tests.Ssh;

/// <summary>OpenSSH's <c>ssh-keygen</c> (Debian's openssh-client): makes real key pairs and prints their fingerprints.</summary>
internal static class SshKeygen
{
    public static bool Installed => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "ssh-keygen")));

    /// <summary>A new key pair in <paramref name="dir"/>; returns the public key line (with the comment <c>test@relais</c>).</summary>
    public static async Task<string> NewPublicKeyAsync(TempDirectory dir, string type, int? bits = null)
    {
        var file = Path.Combine(dir.Path, $"{type}-{bits}-{Guid.NewGuid():N}");
        var args = new List<string> { "-q", "-t", type, "-N", "", "-C", "test@relais", "-f", file };
        if (bits is { } b)
        {
            args.AddRange(["-b", b.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        await RunAsync(args);
        return (await File.ReadAllTextAsync(file + ".pub")).Trim();
    }

    /// <summary>What <c>ssh-keygen -l -E HASH -f</c> prints as the fingerprint of a public key line (the second field).</summary>
    public static async Task<string> FingerprintAsync(TempDirectory dir, string publicKey, string hash = "sha256")
    {
        var file = Path.Combine(dir.Path, Guid.NewGuid().ToString("N") + ".pub");
        await File.WriteAllTextAsync(file, publicKey + "\n");
        var output = await RunAsync(["-l", "-E", hash, "-f", file]);
        return output.Split(' ')[1];
    }

    private static async Task<string> RunAsync(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ssh-keygen {string.Join(' ', start.ArgumentList)}: {await stderr}");
        return (await stdout).Trim();
    }
}

/// <summary>A fact that is skipped, saying why, when OpenSSH's ssh-keygen is not installed.</summary>
public sealed class SshKeygenFactAttribute : FactAttribute
{
    public SshKeygenFactAttribute()
    {
        if (!SshKeygen.Installed)
        {
            Skip = "ssh-keygen (Debian package openssh-client) is not installed: run scripts/install-deps.sh";
        }
    }
}

/// <summary>Key blobs built by hand, for what ssh-keygen cannot make here (security keys need a device) or will not (short or broken keys).</summary>
internal static class SshBlobs
{
    public static string Line(string type, params byte[][] fields) => type + " " + Convert.ToBase64String(Blob(type, fields));

    public static byte[] Blob(string type, params byte[][] fields)
    {
        var all = new List<byte>();
        foreach (var field in new[] { System.Text.Encoding.ASCII.GetBytes(type) }.Concat(fields))
        {
            all.AddRange(BitConverter.IsLittleEndian ? BitConverter.GetBytes(field.Length).Reverse() : BitConverter.GetBytes(field.Length));
            all.AddRange(field);
        }

        return [.. all];
    }

    public static byte[] Text(string s) => System.Text.Encoding.ASCII.GetBytes(s);

    /// <summary>A valid uncompressed P-256 point, from a real key.</summary>
    public static byte[] P256Point()
    {
        using var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var q = ec.ExportParameters(false).Q;
        return [0x04, .. q.X!, .. q.Y!];
    }
}
