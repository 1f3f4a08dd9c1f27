using System.Security.Cryptography;
using System.Text;

namespace Relais.Server.Security;

/// <summary>
/// Where the <see cref="SecretBox"/> key comes from: <c>RELAIS_SECRET_KEY</c> when set (32 bytes in Base64, or any
/// other text, whose SHA-256 is used), else <c>DATA/secret-key</c>, created at the first start with 32 random bytes
/// (Base64, mode 600). Coordinators sharing a data directory share the file; one that starts at the same moment as
/// another reads the file the other created.
/// </summary>
public static class SecretKeyFile
{
    public const string EnvironmentVariable = "RELAIS_SECRET_KEY";
    public const string FileName = "secret-key";

    public static SecretBox Open(string dataDir, string? fromEnvironment)
    {
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new SecretBox(FromText(fromEnvironment.Trim()));
        }

        var path = Path.Combine(dataDir, FileName);
        if (!File.Exists(path))
        {
            TryCreate(path);
        }

        return new SecretBox(FromText(File.ReadAllText(path).Trim()));
    }

    /// <summary>Refuses to start with a key that does not open the masked values already stored (a changed or lost key).</summary>
    public static async Task VerifyAsync(Storage.IVariableStore store, SecretBox secrets, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(secrets);
        if (await store.AnySealedValueAsync(cancel) is not { } sample)
        {
            return;
        }

        try
        {
            secrets.Unprotect(sample);
        }
        catch (CryptographicException)
        {
            throw new InvalidOperationException(
                $"the secret key ({EnvironmentVariable}, or {FileName} in the data directory) does not open the masked variables this database holds; start with the key they were written with");
        }
    }

    private static byte[] FromText(string text)
    {
        var bytes = new byte[32];
        return Convert.TryFromBase64String(text, bytes, out var n) && n == 32 ? bytes : SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }

    private static void TryCreate(string path)
    {
        try
        {
            Auth.OwnerOnlyFile.WriteLine(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), FileMode.CreateNew);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another coordinator created it first: use theirs.
        }
    }
}
