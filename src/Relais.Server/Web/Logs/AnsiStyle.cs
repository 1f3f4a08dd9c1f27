using System.Globalization;
using System.Text;

namespace Relais.Server.Web.Logs;

/// <summary>
/// The text attributes an SGR escape (<c>ESC[...m</c>) sets: 16 colours as classes (so the theme picks them), 256 and
/// 24-bit colours as inline colours, bold, italic, underline. A colour is -1 (none), 0-255 (palette) or
/// <see cref="Rgb"/> | 0xRRGGBB.
/// </summary>
internal readonly record struct AnsiStyle(int Fg, int Bg, bool Bold, bool Italic, bool Underline)
{
    public const int Rgb = 1 << 24;

    public static AnsiStyle Plain { get; } = new(-1, -1, false, false, false);

    public bool IsPlain => this == Plain;

    /// <summary>Applies the parameters of one SGR sequence (<c>1;31</c>, <c>38;5;208</c>, empty = reset).</summary>
    public AnsiStyle Apply(ReadOnlySpan<char> parameters)
    {
        Span<int> codes = stackalloc int[16];
        var count = 0;
        foreach (var range in parameters.Split(';'))
        {
            if (count == codes.Length)
            {
                break;
            }

            codes[count++] = int.TryParse(parameters[range], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        }

        if (count == 0)
        {
            return Plain;
        }

        var s = this;
        for (var i = 0; i < count; i++)
        {
            var c = codes[i];
            switch (c)
            {
                case 0: s = Plain; break;
                case 1: s = s with { Bold = true }; break;
                case 3: s = s with { Italic = true }; break;
                case 4: s = s with { Underline = true }; break;
                case 22: s = s with { Bold = false }; break;
                case 23: s = s with { Italic = false }; break;
                case 24: s = s with { Underline = false }; break;
                case >= 30 and <= 37: s = s with { Fg = c - 30 }; break;
                case 39: s = s with { Fg = -1 }; break;
                case >= 40 and <= 47: s = s with { Bg = c - 40 }; break;
                case 49: s = s with { Bg = -1 }; break;
                case >= 90 and <= 97: s = s with { Fg = c - 90 + 8 }; break;
                case >= 100 and <= 107: s = s with { Bg = c - 100 + 8 }; break;
                case 38 or 48:
                    var (colour, used) = Extended(codes[(i + 1)..count]);
                    s = c == 38 ? s with { Fg = colour } : s with { Bg = colour };
                    i += used;
                    break;
                default: break;
            }
        }

        return s;
    }

    /// <summary>Writes <c>&lt;span class=.. data-fg=.. data-bg=..&gt;</c> for this style (call only when not plain).</summary>
    public void WriteOpen(StringBuilder into)
    {
        into.Append("<span class=\"");
        if (Fg is >= 0 and < 16)
        {
            into.Append("fg").Append(Fg.ToString(CultureInfo.InvariantCulture)).Append(' ');
        }

        if (Bg is >= 0 and < 16)
        {
            into.Append("bg").Append(Bg.ToString(CultureInfo.InvariantCulture)).Append(' ');
        }

        if (Bold)
        {
            into.Append("b ");
        }

        if (Italic)
        {
            into.Append("i ");
        }

        if (Underline)
        {
            into.Append("u ");
        }

        into.Append('"');
        // Extended colours cannot be classes; an inline style attribute would need a weaker Content-Security-Policy, so
        // they travel as data attributes that relais.js applies (without the script, the text keeps the default colour).
        if (Fg >= 16)
        {
            into.Append(" data-fg=\"#").Append(Hex(Fg)).Append('"');
        }

        if (Bg >= 16)
        {
            into.Append(" data-bg=\"#").Append(Hex(Bg)).Append('"');
        }

        into.Append('>');
    }

    /// <summary><c>5;N</c> (palette) or <c>2;R;G;B</c>; returns the colour and how many codes it used.</summary>
    private static (int Colour, int Used) Extended(ReadOnlySpan<int> rest) => rest switch
    {
        [5, var n, ..] => (Math.Clamp(n, 0, 255), 2),
        [2, var r, var g, var b, ..] => (Rgb | (Math.Clamp(r, 0, 255) << 16) | (Math.Clamp(g, 0, 255) << 8) | Math.Clamp(b, 0, 255), 4),
        _ => (-1, rest.Length),
    };

    /// <summary>The RGB hex of a 256-palette index (16-255) or a 24-bit colour.</summary>
    private static string Hex(int colour)
    {
        int rgb;
        if ((colour & Rgb) != 0)
        {
            rgb = colour & 0xFFFFFF;
        }
        else if (colour >= 232)
        {
            var grey = 8 + ((colour - 232) * 10);
            rgb = (grey << 16) | (grey << 8) | grey;
        }
        else
        {
            var n = colour - 16;
            static int Level(int v) => v == 0 ? 0 : 55 + (v * 40);
            rgb = (Level(n / 36) << 16) | (Level(n / 6 % 6) << 8) | Level(n % 6);
        }

        return rgb.ToString("x6", CultureInfo.InvariantCulture);
    }
}
