using System.Text;

namespace Relais.Pipelines.Expressions;

/// <summary>Groups and inline flags (see <see cref="Re2Translator"/>).</summary>
internal sealed partial class Re2Translator
{
    private static readonly System.Buffers.SearchValues<char> NameCharacters =
        System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_");

    private bool AtFlagGroup()
    {
        var j = _i;
        if (!_p.AsSpan(j).StartsWith("(?"))
        {
            return false;
        }

        for (j += 2; j < _p.Length && _p[j] is 'i' or 'm' or 's' or 'U' or '-'; j++)
        {
        }

        return j > _i + 2 && j < _p.Length && _p[j] == ')';
    }

    private bool CloseGroup()
    {
        if (_groups.Count > 0)
        {
            _multiline = _groups.Pop();
        }

        return Emit(")", 1);
    }

    private bool OpenGroup()
    {
        var rest = _p.AsSpan(_i + 1);
        if (!rest.StartsWith("?"))
        {
            _groups.Push(_multiline);
            return Emit("(", 1);
        }

        rest = rest[1..];
        if (rest.StartsWith("P<"))
        {
            return NamedGroup(4);
        }

        if (rest.StartsWith("P=") || rest.StartsWith("P>"))
        {
            return Fail("backreferences are not supported (RE2)");
        }

        if (rest.StartsWith("<=") || rest.StartsWith("<!") || rest.StartsWith("=") || rest.StartsWith("!"))
        {
            return Fail("lookahead and lookbehind are not supported (RE2)");
        }

        if (rest.StartsWith("<"))
        {
            return NamedGroup(3);
        }

        if (rest.StartsWith(":"))
        {
            _groups.Push(_multiline);
            return Emit("(?:", 3);
        }

        return rest.IsEmpty || rest[0] is '>' or '#' or '(' or '\'' or '|'
            ? Fail($"`(?{(rest.IsEmpty ? "" : rest[0].ToString())}` groups are not supported (RE2)")
            : FlagGroup();
    }

    /// <summary>
    /// <c>(?P&lt;name&gt;</c> or <c>(?&lt;name&gt;</c>: RE2 names are letters, digits and <c>_</c>
    /// (in .NET <c>(?&lt;a-b&gt;</c> would be a balancing group, which the linear-time engine lacks).
    /// </summary>
    private bool NamedGroup(int prefix)
    {
        var start = _i + prefix;
        var close = _p.IndexOf('>', start);
        if (close <= start || _p.AsSpan(start, close - start).ContainsAnyExcept(NameCharacters))
        {
            return Fail("invalid named capture group (RE2 names are letters, digits and `_`)");
        }

        _groups.Push(_multiline);
        _out.Append("(?<").Append(_p, start, close - start).Append('>');
        _i = close + 1;
        return true;
    }

    /// <summary><c>(?flags)</c> or <c>(?flags:…)</c> with RE2's flags i, m, s, U and <c>-</c> to clear.</summary>
    private bool FlagGroup()
    {
        var j = _i + 2;
        var on = new StringBuilder();
        var off = new StringBuilder();
        var negate = false;
        var sawFlag = false;
        var multiline = _multiline;
        for (; j < _p.Length && _p[j] is not (':' or ')'); j++)
        {
            var c = _p[j];
            if (c == '-' && !negate)
            {
                negate = true;
                continue;
            }

            if (c is not ('i' or 'm' or 's' or 'U'))
            {
                return Fail($"unknown flag `{c}` in `(?…)` (RE2 knows i, m, s and U)");
            }

            sawFlag = true;
            if (c == 'm')
            {
                multiline = !negate;
            }
            else if (c != 'U')
            {
                _caseInsensitive |= c == 'i' && !negate;
                (negate ? off : on).Append(c);
            }
        }

        if (j >= _p.Length || !sawFlag || _p[j - 1] == '-')
        {
            return Fail("malformed flag group `(?…)`");
        }

        var flags = off.Length > 0 ? $"{on}-{off}" : on.ToString();
        var consumed = j - _i + 1;
        if (_p[j] == ':')
        {
            _groups.Push(_multiline);
            _multiline = multiline;
            return Emit(flags.Length > 0 ? $"(?{flags}:" : "(?:", consumed);
        }

        _multiline = multiline;
        _pendingFlags = flags.Length > 0 ? $"{_pendingFlags}(?{flags})" : _pendingFlags;
        return Emit("", consumed);
    }
}
