using System.Buffers;
using System.Text;

namespace Relais.Runner.Trace;

/// <summary>
/// Replaces secrets in a byte stream with <c>[MASKED]</c>, also when a secret is split across writes: the bytes that
/// could still be the start of a secret are held back until the next write (or <see cref="Flush"/>) decides.
/// <para>
/// Two kinds of secrets: phrases (masked variable values, the job token), replaced whole; and token prefixes
/// (<c>glpat-</c> and the payload's <c>token_mask_prefixes</c>), where the prefix stays and the token characters after
/// it (<c>[A-Za-z0-9._=-]</c>) become <c>[MASKED]</c>. Not thread-safe: one writer at a time (the <see cref="JobLog"/>
/// serializes).
/// </para>
/// </summary>
public sealed class StreamingMasker
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "[MASKED]";

    /// <summary>Token prefixes masked in every job, like gitlab-runner's default.</summary>
    public static readonly IReadOnlyList<string> DefaultTokenPrefixes = ["glpat-"];

    private const int MaxTokenLength = 4096;
    private static readonly byte[] MaskBytes = Encoding.ASCII.GetBytes(Mask);
    private static readonly SearchValues<byte> TokenAlphabet =
        SearchValues.Create("-._=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private readonly byte[][] _phrases;
    private readonly byte[][] _prefixes;
    private readonly SearchValues<byte> _firstBytes;
    private byte[] _carry = [];
    private int _carryLength;

    /// <summary>Creates a masker for the given secrets; empty values are ignored.</summary>
    public StreamingMasker(IEnumerable<string> phrases, IEnumerable<string>? tokenPrefixes = null)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        _phrases = phrases.Where(p => !string.IsNullOrEmpty(p)).Distinct(StringComparer.Ordinal)
            .Select(Encoding.UTF8.GetBytes).OrderByDescending(p => p.Length).ToArray();
        _prefixes = (tokenPrefixes ?? DefaultTokenPrefixes).Select(p => p.Trim()).Where(p => p.Length > 0)
            .Distinct(StringComparer.Ordinal).Take(10).Select(Encoding.UTF8.GetBytes).ToArray();
        _firstBytes = SearchValues.Create(_phrases.Concat(_prefixes).Select(p => p[0]).Distinct().ToArray());
    }

    /// <summary>A masker that masks nothing.</summary>
    public static StreamingMasker None { get; } = new([], []);

    /// <summary>Masks <paramref name="input"/> and writes what is decided to <paramref name="output"/>.</summary>
    public void Write(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_carryLength == 0)
        {
            Keep(input[Process(input, final: false, output)..]);
            return;
        }

        var joined = ArrayPool<byte>.Shared.Rent(_carryLength + input.Length);
        try
        {
            _carry.AsSpan(0, _carryLength).CopyTo(joined);
            input.CopyTo(joined.AsSpan(_carryLength));
            var buffer = joined.AsSpan(0, _carryLength + input.Length);
            Keep(buffer[Process(buffer, final: false, output)..]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(joined);
        }
    }

    /// <summary>Writes out the held-back bytes (the end of the stream).</summary>
    public void Flush(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var carry = _carry.AsSpan(0, _carryLength);
        _carryLength = 0;
        Process(carry, final: true, output);
    }

    private void Keep(ReadOnlySpan<byte> rest)
    {
        if (_carry.Length < rest.Length)
        {
            _carry = new byte[Math.Max(rest.Length, 64)];
        }

        rest.CopyTo(_carry);
        _carryLength = rest.Length;
    }

    /// <summary>Masks <paramref name="buffer"/>; returns how many bytes were decided (the rest must be held back).</summary>
    private int Process(ReadOnlySpan<byte> buffer, bool final, IBufferWriter<byte> output)
    {
        var emitted = 0;
        var i = 0;
        while (i < buffer.Length)
        {
            var next = buffer[i..].IndexOfAny(_firstBytes);
            if (next < 0)
            {
                break;
            }

            i += next;
            var match = MatchAt(buffer[i..], final);
            if (match.Undecided)
            {
                output.Write(buffer[emitted..i]);
                return i;
            }

            if (match.Length == 0)
            {
                i++;
                continue;
            }

            output.Write(buffer[emitted..i]);
            output.Write(buffer.Slice(i, match.KeptPrefix));
            output.Write(MaskBytes);
            i += match.Length;
            emitted = i;
        }

        output.Write(buffer[emitted..]);
        return buffer.Length;
    }

    private Match MatchAt(ReadOnlySpan<byte> rest, bool final)
    {
        var undecided = false;
        foreach (var phrase in _phrases)
        {
            if (rest.StartsWith(phrase))
            {
                return undecided ? new Match(0, 0, true) : new Match(phrase.Length, 0, false);
            }

            undecided |= !final && rest.Length < phrase.Length && phrase.AsSpan().StartsWith(rest);
        }

        foreach (var prefix in _prefixes)
        {
            if (rest.StartsWith(prefix))
            {
                var token = rest[prefix.Length..].IndexOfAnyExcept(TokenAlphabet);
                if (token < 0 && !final && rest.Length - prefix.Length < MaxTokenLength)
                {
                    return new Match(0, 0, true);
                }

                var end = token < 0 ? rest.Length : prefix.Length + token;
                if (end > prefix.Length && !undecided)
                {
                    return new Match(end, prefix.Length, false);
                }
            }
            else
            {
                undecided |= !final && rest.Length < prefix.Length && prefix.AsSpan().StartsWith(rest);
            }
        }

        return new Match(0, 0, undecided);
    }

    private readonly record struct Match(int Length, int KeptPrefix, bool Undecided);
}
