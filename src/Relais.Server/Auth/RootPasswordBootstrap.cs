using Relais.Server.Storage;

namespace Relais.Server.Auth;

/// <summary>
/// Gives root a password for the web sign-in when it has none (the first start, or the first start after the
/// upgrade that added passwords): <c>RELAIS_ROOT_PASSWORD</c> when set; otherwise a generated one, written to
/// <c>DATA/initial-root-password</c> (mode 600) and printed once, at that start only. Only the salted hash is stored.
/// The file is deleted at root's first password sign-in and when root's password changes (<see cref="Forget"/>);
/// later starts print nothing about it.
/// </summary>
internal static class RootPasswordBootstrap
{
    public const string EnvironmentVariable = "RELAIS_ROOT_PASSWORD";
    public const string FileName = "initial-root-password";
    public const string RootUsername = "root";

    public static async Task RunAsync(IIdentityStore store, string dataDir, string? fromEnvironment, TextWriter output, CancellationToken cancel)
    {
        if (await store.FindSignInAsync(RootUsername, cancel) is not { PasswordHash: null })
        {
            return; // no root yet, or it has a password: hashing (deliberately slow) is skipped, and nothing is printed
        }

        var given = !string.IsNullOrEmpty(fromEnvironment);
        var password = given ? fromEnvironment! : Passwords.New();
        if (!await store.SetPasswordIfUnsetAsync(RootUsername, Passwords.Hash(password), cancel))
        {
            return;
        }

        if (given)
        {
            await output.WriteLineAsync($"relais: root's web password is the one from {EnvironmentVariable}");
            return;
        }

        var path = Path.Combine(dataDir, FileName);
        await OwnerOnlyFile.WriteLineAsync(path, password);
        await output.WriteLineAsync($"relais: root's web password (shown once; also in {path} until root first signs in):");
        await output.WriteLineAsync(password);
    }

    /// <summary>Deletes the initial password's file, if it is there (root signed in with a password, or changed it).</summary>
    public static void Forget(string dataDir)
    {
        try
        {
            File.Delete(Path.Combine(dataDir, FileName)); // no error when it does not exist
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the file holds a password that no longer works once changed; a later sign-in retries.
        }
    }
}
