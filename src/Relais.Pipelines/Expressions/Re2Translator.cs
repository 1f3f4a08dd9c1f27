using System.Text;

namespace Relais.Pipelines.Expressions;

/// <summary>
/// Rewrites an RE2 pattern (what GitLab's <c>Gitlab::UntrustedRegexp</c> compiles) into a .NET pattern
/// that accepts the same strings, and rejects what RE2 rejects. The differences handled:
/// <list type="bullet">
/// <item>RE2 has no lookaround, backreferences, atomic groups, conditionals, comments, <c>\Z</c>, <c>\G</c>: rejected.</item>
/// <item><c>\d \s \w</c> (and negations, and POSIX <c>[[:alpha:]]</c>) are ASCII in RE2: spelled out as ASCII ranges.</item>
/// <item><c>$</c> without <c>m</c> matches only at the very end in RE2 (.NET also before a final newline): becomes <c>\z</c>.</item>
/// <item><c>(?P&lt;name&gt;…)</c>, <c>\x{…}</c>, octal escapes, <c>\Q…\E</c>, <c>\pL</c>: rewritten to .NET spellings.</item>
/// <item>The <c>U</c> (ungreedy) flag is dropped: it changes which text a match covers, never whether
/// there is a match, and GitLab only asks whether there is one.</item>
/// <item>The <c>m</c> flag is tracked here (per group) and turned into explicit anchors.</item>
/// </list>
/// Known gaps: <c>\b</c> and <c>.</c> follow .NET (Unicode word characters, UTF-16 units), and
/// <c>\p{Script}</c> maps to .NET's Unicode blocks (<c>\p{IsGreek}</c>).
/// </summary>
internal sealed partial class Re2Translator
{
    private const int MaxRepeat = 1000;

    private readonly string _p;
    private readonly StringBuilder _out = new();
    private readonly Stack<bool> _groups = new();
    private int _i;
    private bool _multiline;
    private string? _error;

    private Re2Translator(string pattern, bool multiline)
    {
        _p = pattern;
        _multiline = multiline;
    }

    /// <summary>Translates <paramref name="pattern"/>; <paramref name="multiline"/> is the RE2 <c>m</c> flag.</summary>
    public static bool TryTranslate(string pattern, bool multiline, out string translated, out string? error)
    {
        var translator = new Re2Translator(pattern, multiline);
        var ok = translator.Run();
        translated = ok ? translator._out.ToString() : "";
        error = translator._error;
        return ok;
    }

    private bool Run()
    {
        while (_i < _p.Length)
        {
            var ok = _p[_i] switch
            {
                '\\' => Escape(),
                '[' => CharClass(),
                '(' => OpenGroup(),
                ')' => CloseGroup(),
                '^' => Emit(_multiline ? "(?m:^)" : "^", 1),
                '$' => Emit(_multiline ? "(?m:$)" : @"\z", 1),
                '{' => Repetition(),
                _ => Emit(_p[_i].ToString(), 1),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool Emit(string text, int consumed)
    {
        _out.Append(text);
        _i += consumed;
        return true;
    }

    private bool Fail(string message)
    {
        _error = message;
        return false;
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
            _groups.Push(_multiline);
            return Emit("(?<", 4);
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
            _groups.Push(_multiline);
            return Emit("(?<", 3);
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
        return Emit(flags.Length > 0 ? $"(?{flags})" : "", consumed);
    }

    /// <summary><c>{n}</c>, <c>{n,}</c>, <c>{n,m}</c> with RE2's limit of 1000; any other <c>{</c> is a literal.</summary>
    private bool Repetition()
    {
        var j = _i + 1;
        var min = ReadNumber(ref j);
        var max = min;
        if (min >= 0 && j < _p.Length && _p[j] == ',')
        {
            j++;
            max = ReadNumber(ref j);
        }

        if (min < 0 || j >= _p.Length || _p[j] != '}')
        {
            return Emit(@"\{", 1);
        }

        if (min > MaxRepeat || max > MaxRepeat)
        {
            return Fail($"repetition `{_p[_i..(j + 1)]}` exceeds RE2's limit of {MaxRepeat}");
        }

        return Emit(_p[_i..(j + 1)], j - _i + 1);
    }

    /// <summary>Reads decimal digits at <paramref name="j"/>; -1 when there are none (capped to stay an int).</summary>
    private int ReadNumber(ref int j)
    {
        var start = j;
        var value = 0;
        for (; j < _p.Length && char.IsAsciiDigit(_p[j]); j++)
        {
            value = Math.Min(value * 10 + (_p[j] - '0'), MaxRepeat + 1);
        }

        return j == start ? -1 : value;
    }

    private bool Escape()
    {
        if (_i + 1 >= _p.Length)
        {
            return Fail("trailing backslash");
        }

        var c = _p[_i + 1];
        switch (c)
        {
            case 'd' or 'D' or 's' or 'S' or 'w' or 'W':
                return Emit($"[{AsciiSets.ForEscape(c)}]", 2);
            case 'b' or 'B' or 'A' or 'z' or 'a' or 'f' or 't' or 'n' or 'r' or 'v':
                return Emit($"\\{c}", 2);
            case 'Q':
                return Quoted();
            case 'E':
                return Emit("", 2);
            case 'p' or 'P':
                return UnicodeClass(inClass: false, out var text) && Emit(text, 0);
        }

        if (!TryEscapedCodePoint(out var codePoint))
        {
            return false;
        }

        _out.Append(Literal(codePoint));
        return true;
    }

    /// <summary><c>\Q…\E</c>: everything up to <c>\E</c> (or the end) is literal.</summary>
    private bool Quoted()
    {
        var end = _p.IndexOf(@"\E", _i + 2, StringComparison.Ordinal);
        var text = end < 0 ? _p[(_i + 2)..] : _p[(_i + 2)..end];
        foreach (var rune in text.EnumerateRunes())
        {
            _out.Append(Literal(rune.Value));
        }

        _i = end < 0 ? _p.Length : end + 2;
        return true;
    }

    /// <summary>A literal code point in a form .NET reads the same way anywhere outside a class.</summary>
    private static string Literal(int codePoint)
    {
        if (codePoint < 0x80 && char.IsAsciiLetterOrDigit((char)codePoint))
        {
            return ((char)codePoint).ToString();
        }

        var text = char.ConvertFromUtf32(codePoint);
        return text.Length == 1
            ? UnicodeEscape(text[0])
            : $"(?:{UnicodeEscape(text[0])}{UnicodeEscape(text[1])})";
    }

    private static string UnicodeEscape(char c) => $"\\u{(int)c:X4}";
}
