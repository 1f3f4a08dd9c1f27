using Relais.Server.Ssh;
using Relais.TestSupport;

namespace Relais.Server.Tests.Ssh;

/// <summary>Key lines as ssh-keygen makes them are accepted with the fingerprints ssh-keygen prints; anything else is refused.</summary>
public sealed class SshPublicKeyTests
{
    [SshKeygenFact]
    public async Task Keys_ssh_keygen_makes_of_each_type_parse_with_the_fingerprints_it_prints()
    {
        using var dir = new TempDirectory();
        foreach (var (type, bits, expectedType, expectedBits) in new (string, int?, string, int)[]
        {
            ("ed25519", null, "ssh-ed25519", 256),
            ("rsa", 2048, "ssh-rsa", 2048),
            ("rsa", 3072, "ssh-rsa", 3072),
            ("ecdsa", 256, "ecdsa-sha2-nistp256", 256),
            ("ecdsa", 384, "ecdsa-sha2-nistp384", 384),
            ("ecdsa", 521, "ecdsa-sha2-nistp521", 521),
        })
        {
            var line = await SshKeygen.NewPublicKeyAsync(dir, type, bits);
            var key = SshPublicKey.Parse(line, out var problem);
            Assert.True(key is not null, $"{line}: {problem}");
            Assert.Equal(expectedType, key.Type);
            Assert.Equal(expectedBits, key.Bits);
            Assert.Equal(await SshKeygen.FingerprintAsync(dir, line), key.FingerprintSha256);
            Assert.Equal("MD5:" + key.FingerprintMd5, await SshKeygen.FingerprintAsync(dir, line, "md5"));
            Assert.Equal(line, key.Normalized);
        }
    }

    [SshKeygenFact]
    public async Task Security_key_types_built_by_hand_parse_with_the_fingerprints_ssh_keygen_prints()
    {
        using var dir = new TempDirectory();
        var ed = SshBlobs.Line("sk-ssh-ed25519@openssh.com", new byte[32].Select((_, i) => (byte)(i + 1)).ToArray(), SshBlobs.Text("ssh:"));
        var ec = SshBlobs.Line("sk-ecdsa-sha2-nistp256@openssh.com", SshBlobs.Text("nistp256"), SshBlobs.P256Point(), SshBlobs.Text("ssh:"));
        foreach (var line in new[] { ed, ec })
        {
            var key = SshPublicKey.Parse(line, out var problem);
            Assert.True(key is not null, $"{line}: {problem}");
            Assert.Equal(await SshKeygen.FingerprintAsync(dir, line), key.FingerprintSha256);
        }
    }

    [SshKeygenFact]
    public async Task A_key_is_normalised_to_type_blob_and_one_spaced_comment()
    {
        using var dir = new TempDirectory();
        var line = await SshKeygen.NewPublicKeyAsync(dir, "ed25519");
        var parts = line.Split(' ');
        var key = SshPublicKey.Parse($"  {parts[0]}\t {parts[1]}   my   laptop  \n", out _);
        Assert.Equal($"{parts[0]} {parts[1]} my laptop", key!.Normalized);
        Assert.Equal($"{parts[0]} {parts[1]}", SshPublicKey.Parse($"{parts[0]} {parts[1]}", out _)!.Normalized);
    }

    [SshKeygenFact]
    public async Task Garbage_options_several_lines_and_mismatched_types_are_invalid()
    {
        using var dir = new TempDirectory();
        var ed = await SshKeygen.NewPublicKeyAsync(dir, "ed25519");
        var blob = ed.Split(' ')[1];
        foreach (var bad in new[]
        {
            "", "garbage", "ssh-ed25519", "ssh-ed25519 not-base64!!", $"ssh-rsa {blob}", $"ecdsa-sha2-nistp256 {blob}",
            $"command=\"/bin/sh\" {ed}", $"{ed}\n{ed}", $"{ed}\rx", "ssh-ed25519 " + blob[..^8],
            SshBlobs.Line("ssh-ed25519", new byte[31]),
            SshBlobs.Line("ssh-ed25519", new byte[32], new byte[1]),
            SshBlobs.Line("ecdsa-sha2-nistp256", SshBlobs.Text("nistp384"), SshBlobs.P256Point()),
            SshBlobs.Line("ecdsa-sha2-nistp256", SshBlobs.Text("nistp256"), [0x04, .. new byte[64]]),
            SshBlobs.Line("sk-ssh-ed25519@openssh.com", new byte[32]),
            "ssh-ed25519 " + new string('A', SshPublicKey.MaximumLength),
        })
        {
            Assert.True(SshPublicKey.Parse(bad, out var problem) is null, bad);
            Assert.Equal("is invalid", problem);
        }
    }

    [Fact]
    public void Rsa_below_1024_bits_and_dsa_are_refused_with_gitlabs_messages()
    {
        byte[] modulus(int bits) => [0x00, 0x80, .. new byte[(bits / 8) - 1]];
        Assert.Null(SshPublicKey.Parse(SshBlobs.Line("ssh-rsa", [0x01, 0x00, 0x01], modulus(768)), out var shortProblem));
        Assert.Equal("must be at least 1024 bits", shortProblem);
        Assert.Equal(1024, SshPublicKey.Parse(SshBlobs.Line("ssh-rsa", [0x01, 0x00, 0x01], modulus(1024)), out _)!.Bits);
        Assert.Null(SshPublicKey.Parse(SshBlobs.Line("ssh-dss", new byte[20]), out var dsaProblem));
        Assert.StartsWith("type is forbidden", dsaProblem, StringComparison.Ordinal);
    }
}
