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
/// <para>Checked against RE2 itself on ~150,000 generated pattern/text pairs. Known gaps, all rare:
/// <c>.</c> takes one UTF-16 unit (RE2 one code point); <c>\p{Script}</c> maps to .NET's Unicode blocks
/// (<c>\p{IsGreek}</c>); under <c>i</c> RE2 also case-folds <c>\p{Lu}</c>-style classes; a quantifier after a
/// flag group that follows another quantifier (<c>a+(?s)?</c>) is read as lazy.</para>
/// </summary>
internal sealed partial class Re2Translator
{
    private const int MaxRepeat = 1000;

    private const string Word = "[0-9A-Za-z_]";

    private readonly string _p;
    private readonly bool _forLinearEngine;
    private readonly StringBuilder _out = new();
    private readonly Stack<bool> _groups = new();
    private int _i;
    private bool _multiline;
    private string? _error;

    /// <summary>A <c>(?flags)</c> not yet written: RE2 lets a quantifier after it apply to the atom before it.</summary>
    private string? _pendingFlags;

    private Re2Translator(string pattern, bool multiline, bool forLinearEngine)
    {
        _p = pattern;
        _multiline = multiline;
        _forLinearEngine = forLinearEngine;
    }

    /// <summary>
    /// Translates <paramref name="pattern"/>; <paramref name="multiline"/> is the RE2 <c>m</c> flag.
    /// <paramref name="forLinearEngine"/> avoids lookaround (for <see cref="System.Text.RegularExpressions.RegexOptions.NonBacktracking"/>),
    /// at the price of Unicode rather than ASCII word boundaries.
    /// </summary>
    public static bool TryTranslate(string pattern, bool multiline, out string translated, out string? error, bool forLinearEngine = false)
    {
        var translator = new Re2Translator(pattern, multiline, forLinearEngine);
        var ok = translator.Run();
        translated = ok ? translator._out.ToString() : "";
        error = translator._error;
        return ok;
    }

    private bool Run()
    {
        while (_i < _p.Length)
        {
            if (_pendingFlags is not null && !AtQuantifier() && !AtFlagGroup())
            {
                _out.Append(_pendingFlags);
                _pendingFlags = null;
            }

            // Anchors are wrapped in groups: RE2 lets them take a quantifier, .NET only a group.
            var ok = _p[_i] switch
            {
                '\\' => Escape(),
                '[' => CharClass(),
                '(' => OpenGroup(),
                ')' => CloseGroup(),
                '^' => Emit(_multiline ? "(?m:^)" : "(?:^)", 1),
                '$' => Emit(_multiline ? "(?m:$)" : @"(?:\z)", 1),
                '{' => Repetition(),
                _ => EmitChar(),
            };
            if (!ok)
            {
                return false;
            }
        }

        _out.Append(_pendingFlags);
        return true;
    }

    private bool AtQuantifier()
    {
        if (_p[_i] is '*' or '+' or '?')
        {
            return true;
        }

        var j = _i + 1;
        return _p[_i] == '{' && ReadNumber(ref j) >= 0;
    }

    private bool Emit(string text, int consumed)
    {
        _out.Append(text);
        _i += consumed;
        return true;
    }

    private bool EmitChar()
    {
        _out.Append(_p[_i++]);
        return true;
    }

    private bool Fail(string message)
    {
        _error = message;
        return false;
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
            case 'b' or 'B':
                return Emit(WordBoundary(c == 'b'), 2);
            case 'A' or 'z':
                return Emit($"(?:\\{c})", 2);
            case 'a' or 'f' or 't' or 'n' or 'r' or 'v':
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

    /// <summary>RE2's <c>\b</c> and <c>\B</c> look at ASCII word characters only; .NET's at Unicode ones.</summary>
    private string WordBoundary(bool boundary) => (_forLinearEngine, boundary) switch
    {
        (true, true) => @"(?:\b)",
        (true, false) => @"(?:\B)",
        (false, true) => $"(?:(?<={Word})(?!{Word})|(?<!{Word})(?={Word}))",
        _ => $"(?:(?<={Word})(?={Word})|(?<!{Word})(?!{Word}))",
    };

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
