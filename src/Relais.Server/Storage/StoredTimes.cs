using System.Globalization;

namespace Relais.Server.Storage;

/// <summary>Reads the UTC text times the stores write (<see cref="SqlKeyStore.StoredTime"/>).</summary>
internal static class StoredTimes
{
    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
