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

/// <summary>
/// Reads the command list at the start of a <c>git-receive-pack</c> request body (pkt-lines up to the first
/// flush) while passing every byte through to git, so the pack that follows can be streamed untouched.
/// </summary>
internal static class RefUpdates
{
    private const int MaxPacketLength = 65520;

    public static async Task<IReadOnlyList<RefUpdate>> CopyCommandsAsync(Stream from, Stream to, CancellationToken cancel)
    {
        var updates = new List<RefUpdate>();
        var header = new byte[4];
        var payload = new byte[MaxPacketLength];
        while (true)
        {
            if (await from.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false, cancel) < 4)
            {
                return updates;
            }

            await to.WriteAsync(header, cancel);
            if (!int.TryParse(Encoding.ASCII.GetString(header), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length)
                || length == 0 || length > MaxPacketLength)
            {
                return updates;
            }

            if (length < 4)
            {
                continue;
            }

            await from.ReadExactlyAsync(payload.AsMemory(0, length - 4), cancel);
            await to.WriteAsync(payload.AsMemory(0, length - 4), cancel);
            if (Parse(payload.AsSpan(0, length - 4)) is { } update)
            {
                updates.Add(update);
            }
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
