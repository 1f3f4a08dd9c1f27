namespace Relais.Server.Ssh;

/// <summary>
/// The SSH server's host keys, <c>DATA/ssh/ssh_host_ed25519_key</c> and <c>ssh_host_rsa_key</c> (3072 bits), made once
/// with <c>ssh-keygen</c> and kept: clients pin them in <c>known_hosts</c>, so they must survive restarts.
/// </summary>
internal static class SshHostKeys
{
    public static async Task<IReadOnlyList<string>> EnsureAsync(string sshDir, CancellationToken cancel)
    {
        var paths = new List<string>();
        foreach (var (type, extra) in new[] { ("ed25519", Array.Empty<string>()), ("rsa", ["-b", "3072"]) })
        {
            var path = Path.Combine(sshDir, $"ssh_host_{type}_key");
            if (!File.Exists(path))
            {
                File.Delete(path + ".pub");
                var result = await SshAccount.RunAsync("ssh-keygen", ["-q", "-t", type, .. extra, "-N", "", "-C", "relais", "-f", path], cancel);
                if (result.Code != 0)
                {
                    throw new InvalidOperationException($"ssh-keygen could not make the {type} host key: {result.Output.Trim()}");
                }
            }

            paths.Add(path);
        }

        return paths;
    }
}
