using System.Globalization;
using System.Text;

namespace Relais.Pipelines.Expressions;

/// <summary>Character classes and escapes that stand for one character (see <see cref="Re2Translator"/>).</summary>
internal sealed partial class Re2Translator
{
    private static readonly HashSet<string> GeneralCategories = new(StringComparer.Ordinal)
    {
        "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd",
        "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
    };

    /// <summary>
    /// <c>[…]</c>, re-emitted item by item in .NET's syntax so that nothing in it can read differently
    /// (.NET's class subtraction <c>-[…]</c>, Unicode <c>\d</c>, POSIX names .NET does not know).
    /// </summary>
    private bool CharClass()
    {
        _i++;
        var negated = _i < _p.Length && _p[_i] == '^';
        if (negated)
        {
            _i++;
        }

        var items = new StringBuilder();
        for (var first = true; ; first = false)
        {
            if (_i >= _p.Length)
            {
                return Fail("missing closing `]` in a character class");
            }

            if (_p[_i] == ']' && !first)
            {
                _i++;
                break;
            }

            if (!PosixClass(items, out var handled))
            {
                return false;
            }

            if (!handled && !ClassItem(items))
            {
                return false;
            }
        }

        _out.Append('[').Append(negated ? "^" : "").Append(items).Append(']');
        return true;
    }

    /// <summary>One character or range <c>a-z</c>, or a class escape like <c>\d</c>.</summary>
    private bool ClassItem(StringBuilder items)
    {
        if (!ClassAtom(out var low, out var set))
        {
            return false;
        }

        if (set is not null)
        {
            items.Append(set);
            return true;
        }

        if (_i + 1 < _p.Length && _p[_i] == '-' && _p[_i + 1] != ']')
        {
            _i++;
            if (!ClassAtom(out var high, out var highSet))
            {
                return false;
            }

            if (highSet is not null || high < low)
            {
                return Fail("invalid character class range");
            }

            NoteRange(low, high);
            items.Append(ClassChar(low)).Append('-').Append(ClassChar(high));
            return true;
        }

        NoteCodePoint(low);
        items.Append(ClassChar(low));
        return true;
    }

    /// <summary>Reads one class member: a code point, or (in <paramref name="set"/>) a whole set such as <c>\w</c>.</summary>
    private bool ClassAtom(out int codePoint, out string? set)
    {
        set = null;
        codePoint = 0;
        if (_p[_i] != '\\')
        {
            codePoint = char.ConvertToUtf32(_p, _i);
            _i += codePoint > 0xFFFF ? 2 : 1;
            return codePoint <= 0xFFFF || Fail("characters outside the Basic Multilingual Plane are not supported in a character class");
        }

        if (_i + 1 >= _p.Length)
        {
            return Fail("trailing backslash");
        }

        var c = _p[_i + 1];
        if (c is 'd' or 'D' or 's' or 'S' or 'w' or 'W')
        {
            set = AsciiSets.ForEscape(c);
            _i += 2;
            return true;
        }

        if (c is 'p' or 'P')
        {
            return UnicodeClass(inClass: true, out set);
        }

        var control = c switch { 'a' => 7, 'f' => 12, 't' => 9, 'n' => 10, 'r' => 13, 'v' => 11, _ => -1 };
        if (control >= 0)
        {
            codePoint = control;
            _i += 2;
            return true;
        }

        return TryEscapedCodePoint(out codePoint);
    }

    /// <summary><c>[:alpha:]</c> and <c>[:^alpha:]</c> inside a class; <paramref name="handled"/> is false when there is none.</summary>
    private bool PosixClass(StringBuilder items, out bool handled)
    {
        handled = false;
        if (!_p.AsSpan(_i).StartsWith("[:"))
        {
            return true;
        }

        var close = _p.IndexOf(":]", _i + 2, StringComparison.Ordinal);
        if (close < 0)
        {
            return true;
        }

        var name = _p[(_i + 2)..close];
        var negated = name.StartsWith('^');
        var set = AsciiSets.ForPosix(negated ? name[1..] : name, negated);
        if (set is null)
        {
            return Fail($"unknown character class `[:{name}:]`");
        }

        items.Append(set);
        _i = close + 2;
        handled = true;
        return true;
    }

    /// <summary><c>\pL</c>, <c>\p{Greek}</c>, <c>\p{^Lu}</c>, <c>\PL</c> at <c>_i</c>.</summary>
    private bool UnicodeClass(bool inClass, out string text)
    {
        text = "";
        var negated = _p[_i + 1] == 'P';
        string name;
        if (_i + 2 < _p.Length && _p[_i + 2] == '{')
        {
            var close = _p.IndexOf('}', _i + 3);
            if (close < 0)
            {
                return Fail("missing `}` in a Unicode class");
            }

            name = _p[(_i + 3)..close];
            _i = close + 1;
        }
        else if (_i + 2 < _p.Length)
        {
            name = _p[_i + 2].ToString();
            _i += 3;
        }
        else
        {
            return Fail("missing Unicode class name after `\\p`");
        }

        if (name.StartsWith('^'))
        {
            negated = !negated;
            name = name[1..];
        }

        if (name == "Any")
        {
            var all = negated ? "" : @"\u0000-\uFFFF";
            text = inClass ? all : $"[{(all.Length == 0 ? @"^\u0000-\uFFFF" : all)}]";
            return true;
        }

        _nonAsciiSpecific = true;
        var netName = GeneralCategories.Contains(name) ? name : "Is" + name;
        text = $"\\{(negated ? 'P' : 'p')}{{{netName}}}";
        return true;
    }

    /// <summary>
    /// The escapes that stand for one code point: <c>\xHH</c>, <c>\x{H…}</c>, octal, and a backslash
    /// before punctuation. Letters and digits RE2 does not know are errors there, and so here.
    /// </summary>
    private bool TryEscapedCodePoint(out int codePoint)
    {
        codePoint = 0;
        var c = _p[_i + 1];
        if (c == 'x')
        {
            return HexEscape(out codePoint);
        }

        if (c is >= '0' and <= '7')
        {
            var j = _i + 1;
            if (c != '0' && (j + 1 >= _p.Length || _p[j + 1] is < '0' or > '7'))
            {
                return Fail($"backreference `\\{c}` is not supported (RE2)");
            }

            for (var digits = 0; digits < 3 && j < _p.Length && _p[j] is >= '0' and <= '7'; digits++, j++)
            {
                codePoint = codePoint * 8 + (_p[j] - '0');
            }

            _i = j;
            return true;
        }

        // RE2 takes a backslash before ASCII punctuation as that character; anything else is an error.
        if (char.IsAsciiLetterOrDigit(c) || c >= 0x80)
        {
            return Fail($"invalid escape `\\{c}` (RE2)");
        }

        codePoint = c;
        _i += 2;
        return true;
    }

    private bool HexEscape(out int codePoint)
    {
        codePoint = 0;
        var j = _i + 2;
        string digits;
        if (j < _p.Length && _p[j] == '{')
        {
            var close = _p.IndexOf('}', j);
            digits = close < 0 ? "" : _p[(j + 1)..close];
            j = close + 1;
        }
        else
        {
            digits = j + 2 <= _p.Length ? _p.Substring(j, 2) : "";
            j += 2;
        }

        if (digits.Length is 0 or > 8 || !digits.All(char.IsAsciiHexDigit)
            || !int.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out codePoint)
            || codePoint > 0x10FFFF || codePoint is >= 0xD800 and <= 0xDFFF)
        {
            return Fail("invalid `\\x` escape");
        }

        _i = j;
        return true;
    }

    /// <summary>A class member in a form .NET reads literally inside <c>[…]</c>.</summary>
    private static string ClassChar(int codePoint) =>
        codePoint < 0x80 && char.IsAsciiLetterOrDigit((char)codePoint)
            ? ((char)codePoint).ToString()
            : UnicodeEscape((char)codePoint);
}
