using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Relais.Pipelines.Context;

/// <summary>
/// <c>CI_ENVIRONMENT_SLUG</c> as GitLab makes it from an environment's (expanded) name: lower-case letters, digits and
/// single dashes, starting with a letter (<c>env-</c> put in front otherwise); when that changed the name or is longer than
/// 24 characters, its first 17 characters, a dash and the last 6 base-36 digits of the name's SHA-256, so that two names
/// slugged alike stay apart (<c>Stage Domain</c> → <c>stage-domain-ip33nk</c>); otherwise the name itself.
/// </summary>
public static class EnvironmentSlug
{
    private const int MaxLength = 24;
    private const int KeptWhenShortened = 17;
    private const int SuffixLength = 6;

    public static string Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length + 4);
        foreach (var ch in name.ToLowerInvariant())
        {
            var c = ch is >= 'a' and <= 'z' or >= '0' and <= '9' ? ch : '-';
            if (c != '-' || sb.Length == 0 || sb[^1] != '-')
            {
                sb.Append(c);
            }
        }

        if (sb.Length == 0 || sb[0] is < 'a' or > 'z')
        {
            sb.Insert(0, sb.Length > 0 && sb[0] == '-' ? "env" : "env-");
        }

        var slug = sb.ToString();
        if (slug.Length <= MaxLength && slug == name)
        {
            return slug.TrimEnd('-');
        }

        return slug[..Math.Min(KeptWhenShortened, slug.Length)] + "-" + Suffix(name);
    }

    /// <summary>The last six base-36 digits of the name's SHA-256 read as one unsigned number.</summary>
    private static string Suffix(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var n = new BigInteger(hash, isUnsigned: true, isBigEndian: true);
        var digits = new char[SuffixLength];
        for (var i = SuffixLength - 1; i >= 0; i--)
        {
            n = BigInteger.DivRem(n, 36, out var d);
            digits[i] = "0123456789abcdefghijklmnopqrstuvwxyz"[(int)d];
        }

        return new string(digits);
    }
}
