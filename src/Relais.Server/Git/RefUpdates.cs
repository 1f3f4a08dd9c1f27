using System.Globalization;
using System.Text;

namespace Relais.Server.Git;

/// <summary>One command of a push: move <see cref="Ref"/> from <see cref="OldSha"/> to <see cref="NewSha"/> (zeros = none).</summary>
internal readonly record struct RefUpdate(string OldSha, string NewSha, string Ref)
{
    public bool IsDelete => NewSha == GitRepositories.ZeroSha;

    public bool IsCreate => OldSha == GitRepositories.ZeroSha;

    public bool IsBranch => Ref.StartsWith("refs/heads/", StringComparison.Ordinal);

    public bool IsTag => Ref.StartsWith("refs/tags/", StringComparison.Ordinal);

    /// <summary>The branch or tag name without its <c>refs/heads/</c> or <c>refs/tags/</c> prefix.</summary>
    public string ShortName => IsBranch ? Ref["refs/heads/".Length..] : IsTag ? Ref["refs/tags/".Length..] : Ref;
}

/// <summary>What a <c>git-receive-pack</c> request says before its pack: the ref updates and the push options (<c>git push -o</c>).</summary>
internal sealed record ReceiveCommands(IReadOnlyList<RefUpdate> Updates, IReadOnlyList<string> Options);

/// <summary>
/// Reads the command list at the start of a <c>git-receive-pack</c> request body (pkt-lines up to the first
/// flush) and, when the client asked for the <c>push-options</c> capability, the push options that follow it (pkt-lines
/// up to the next flush), while passing every byte through to git, so the pack that follows can be streamed untouched.
/// </summary>
internal static class RefUpdates
{
    private const int MaxPacketLength = 65520;

    public static async Task<ReceiveCommands> CopyCommandsAsync(Stream from, Stream to, CancellationToken cancel)
    {
        var commands = await CopySectionAsync(from, to, cancel);
        var updates = commands.Select(c => Parse(c)).OfType<RefUpdate>().ToList();
        var options = Capabilities(commands).Contains("push-options")
            ? (await CopySectionAsync(from, to, cancel)).Select(o => Encoding.UTF8.GetString(o).TrimEnd('\n')).ToList()
            : [];
        return new ReceiveCommands(updates, options);
    }

    /// <summary>The capabilities the client asked for: the words after the NUL of its first command.</summary>
    public static IReadOnlyList<string> Capabilities(IReadOnlyList<byte[]> commands)
    {
        foreach (var command in commands)
        {
            var nul = Array.IndexOf(command, (byte)0);
            if (nul >= 0)
            {
                return Encoding.UTF8.GetString(command.AsSpan(nul + 1)).TrimEnd('\n').Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        return [];
    }

    /// <summary>Copies pkt-lines up to and including a flush (or the end of the input) and returns their payloads.</summary>
    private static async Task<List<byte[]>> CopySectionAsync(Stream from, Stream to, CancellationToken cancel)
    {
        var packets = new List<byte[]>();
        var header = new byte[4];
        while (true)
        {
            if (await from.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false, cancel) < 4)
            {
                return packets;
            }

            await to.WriteAsync(header, cancel);
            if (!int.TryParse(Encoding.ASCII.GetString(header), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length)
                || length == 0 || length > MaxPacketLength)
            {
                return packets;
            }

            if (length < 4)
            {
                continue;
            }

            var payload = new byte[length - 4];
            await from.ReadExactlyAsync(payload, cancel);
            await to.WriteAsync(payload, cancel);
            packets.Add(payload);
        }
    }

    /// <summary>"old new ref[\0capabilities]\n", or null for anything else (shallow lines, push certificates).</summary>
    public static RefUpdate? Parse(ReadOnlySpan<byte> line)
    {
        var end = line.IndexOfAny((byte)0, (byte)'\n');
        var text = Encoding.UTF8.GetString(end < 0 ? line : line[..end]);
        var parts = text.Split(' ');
        return parts.Length == 3 && parts[0].Length == 40 && parts[1].Length == 40 && parts[2].StartsWith("refs/", StringComparison.Ordinal)
            ? new RefUpdate(parts[0], parts[1], parts[2])
            : null;
    }
}
