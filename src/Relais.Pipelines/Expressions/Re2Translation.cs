namespace Relais.Pipelines.Expressions;

/// <summary>
/// An RE2 pattern rewritten for .NET's linear-time engine (<see cref="Pattern"/>), with what it uses that
/// decides whether RE2's ASCII word boundaries can be kept exact there (see <see cref="CiRegex"/>).
/// </summary>
/// <param name="Pattern">The .NET pattern.</param>
/// <param name="UsesWordBoundary">Whether it has <c>\b</c> or <c>\B</c>.</param>
/// <param name="NamesNonAscii">Whether a literal, class member or Unicode class names a non-ASCII character.</param>
/// <param name="NamesK">Whether it names <c>k</c> or <c>K</c>, which .NET folds with the Kelvin sign under <c>i</c>.</param>
/// <param name="TurnsOnIgnoreCase">Whether an inline <c>(?i)</c> appears in it.</param>
internal sealed record Re2Translation(string Pattern, bool UsesWordBoundary, bool NamesNonAscii, bool NamesK, bool TurnsOnIgnoreCase)
{
    /// <summary>
    /// Whether the pattern can tell two non-ASCII characters apart (so they cannot all be read as one
    /// non-word character); <paramref name="ignoreCase"/> is the <c>i</c> flag.
    /// </summary>
    public bool TellsNonAsciiApart(bool ignoreCase) => NamesNonAscii || ((ignoreCase || TurnsOnIgnoreCase) && NamesK);
}
