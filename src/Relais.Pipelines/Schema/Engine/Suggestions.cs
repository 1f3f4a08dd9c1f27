namespace Relais.Pipelines.Schema.Engine;

/// <summary>"Did you mean …?": the closest known word to a misspelt one, by edit distance.</summary>
internal static class Suggestions
{
    /// <summary>
    /// The candidate nearest to <paramref name="word"/> when it is near enough to be a likely typo
    /// (one edit for short words, two for medium, three for long; a swap of two letters is one edit).
    /// </summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        var limit = word.Length <= 3 ? 1 : word.Length <= 7 ? 2 : 3;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (candidate == word)
            {
                return null;
            }

            var distance = string.Equals(candidate, word, StringComparison.OrdinalIgnoreCase)
                ? 0
                : Distance(word, candidate);
            // On a tie, a candidate of the same length wins: "stagse" is "stages" with two letters swapped.
            if (distance <= limit && (distance < bestDistance
                || (distance == bestDistance && Math.Abs(candidate.Length - word.Length) < Math.Abs(best!.Length - word.Length))))
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
