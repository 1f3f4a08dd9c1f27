using System.Buffers;

namespace Relais.Pipelines.Globs;

/// <summary>
/// <c>include:local</c> wildcards: GitLab escapes the path, turns <c>**</c> into "any characters" and
/// <c>*</c> into "any characters but <c>/</c>", and anchors it at both ends. Matched here with a small
/// dynamic program over path positions, linear in pattern × path and immune to backtracking blow-ups.
/// </summary>
internal sealed class WildcardPathMatcher
{
    private const int StackLimit = 512;

    private readonly Part[] _parts;

    public WildcardPathMatcher(string pattern)
    {
        var parts = new List<Part>();
        var literalStart = 0;
        for (var i = 0; i < pattern.Length;)
        {
            if (pattern[i] != '*')
            {
                i++;
                continue;
            }

            if (i > literalStart)
            {
                parts.Add(new Part(PartKind.Literal, pattern[literalStart..i]));
            }

            var isDouble = i + 1 < pattern.Length && pattern[i + 1] == '*';
            parts.Add(new Part(isDouble ? PartKind.AnyPath : PartKind.AnyName, ""));
            i += isDouble ? 2 : 1;
            literalStart = i;
        }

        if (literalStart < pattern.Length)
        {
            parts.Add(new Part(PartKind.Literal, pattern[literalStart..]));
        }

        _parts = [.. parts];
    }

    private enum PartKind
    {
        Literal,
        AnyName,
        AnyPath,
    }

    public bool IsMatch(ReadOnlySpan<char> path)
    {
        var size = path.Length + 1;
        bool[]? rented = null;
        var buffer = size * 2 <= StackLimit ? stackalloc bool[size * 2] : (rented = ArrayPool<bool>.Shared.Rent(size * 2));
        try
        {
            var reachable = buffer[..size];
            var next = buffer.Slice(size, size);
            reachable.Clear();
            reachable[0] = true;
            foreach (var part in _parts)
            {
                Advance(part, path, reachable, next);
                var swap = reachable;
                reachable = next;
                next = swap;
            }

            return reachable[path.Length];
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<bool>.Shared.Return(rented);
            }
        }
    }

    /// <summary>From the positions the parts so far can end at, the positions the next part can end at.</summary>
    private static void Advance(Part part, ReadOnlySpan<char> path, Span<bool> reachable, Span<bool> next)
    {
        next.Clear();
        var open = false;
        for (var i = 0; i <= path.Length; i++)
        {
            switch (part.Kind)
            {
                case PartKind.Literal:
                    if (reachable[i] && path[i..].StartsWith(part.Text, StringComparison.Ordinal))
                    {
                        next[i + part.Text.Length] = true;
                    }

                    break;
                case PartKind.AnyName:
                    open = reachable[i] || (open && path[i - 1] != '/');
                    next[i] = open;
                    break;
                default:
                    open |= reachable[i];
                    next[i] = open;
                    break;
            }
        }
    }

    private readonly record struct Part(PartKind Kind, string Text);
}
