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
/// <item>The output is for .NET's linear-time engine (<see cref="System.Text.RegularExpressions.RegexOptions.NonBacktracking"/>):
/// no lookaround. <c>\b</c>/<c>\B</c> become .NET's, whose word characters are Unicode ones; the
/// <see cref="Re2Translation"/> says when that matters (see <see cref="CiRegex"/>).</item>
/// <para>Checked against RE2 itself on ~150,000 generated pattern/text pairs. Known gaps, all rare:
/// <c>.</c> takes one UTF-16 unit (RE2 one code point); <c>\p{Script}</c> maps to .NET's Unicode blocks
/// (<c>\p{IsGreek}</c>); under <c>i</c> RE2 also case-folds <c>\p{Lu}</c>-style classes; a quantifier after a
/// flag group that follows another quantifier (<c>a+(?s)?</c>) is read as lazy.</para>
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

    /// <summary>What the pattern uses that decides whether ASCII word boundaries can be kept exact.</summary>
    private bool _wordBoundary;
    private bool _nonAsciiSpecific;
    private bool _caseInsensitive;
    private bool _foldsToNonAscii;

    /// <summary>A <c>(?flags)</c> not yet written: RE2 lets a quantifier after it apply to the atom before it.</summary>
    private string? _pendingFlags;

    private Re2Translator(string pattern, bool multiline)
    {
        _p = pattern;
        _multiline = multiline;
    }

    /// <summary>Translates <paramref name="pattern"/>; <paramref name="multiline"/> is the RE2 <c>m</c> flag.</summary>
    public static bool TryTranslate(string pattern, bool multiline, out string translated, out string? error)
    {
        var translation = Translate(pattern, multiline, out error);
        translated = translation?.Pattern ?? "";
        return translation is not null;
    }

    /// <summary>Translates <paramref name="pattern"/> and says what it uses; null (and <paramref name="error"/>) when RE2 rejects it.</summary>
    public static Re2Translation? Translate(string pattern, bool multiline, out string? error)
    {
        var translator = new Re2Translator(pattern, multiline);
        var ok = translator.Run();
        error = translator._error;
        return ok
            ? new Re2Translation(
                translator._out.ToString(),
                translator._wordBoundary,
                translator._nonAsciiSpecific,
                translator._foldsToNonAscii,
                translator._caseInsensitive)
            : null;
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
        NoteCodePoint(_p[_i]);
        _out.Append(_p[_i++]);
        return true;
    }

    /// <summary>Records a character the pattern names (a literal or a class member).</summary>
    private void NoteCodePoint(int codePoint) => NoteRange(codePoint, codePoint);

    /// <summary>
    /// Records a range of characters the pattern names: any non-ASCII one tells non-ASCII characters apart,
    /// and so does <c>k</c> under <c>i</c> (.NET folds it with the Kelvin sign, U+212A).
    /// </summary>
    private void NoteRange(int low, int high)
    {
        _nonAsciiSpecific |= high >= 0x80;
        _foldsToNonAscii |= (low <= 'k' && high >= 'k') || (low <= 'K' && high >= 'K');
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
                _wordBoundary = true;
                return Emit(c == 'b' ? @"(?:\b)" : @"(?:\B)", 2);
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

        NoteCodePoint(codePoint);
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
            NoteCodePoint(rune.Value);
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
