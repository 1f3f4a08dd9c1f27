using System.Text;

namespace Relais.Server.Auth;

/// <summary>Writes a secret (a generated token, password or key) to a file only its owner may read (mode 600).</summary>
internal static class OwnerOnlyFile
{
    /// <summary>Writes <paramref name="line"/> to <paramref name="path"/>; <paramref name="mode"/> <see cref="FileMode.CreateNew"/> fails when it exists.</summary>
    public static async Task WriteLineAsync(string path, string line, FileMode mode = FileMode.Create)
    {
        await using var file = new StreamWriter(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), Options(mode));
        await file.WriteLineAsync(line);
    }

    /// <inheritdoc cref="WriteLineAsync"/>
    public static void WriteLine(string path, string line, FileMode mode = FileMode.Create)
    {
        using var file = new StreamWriter(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), Options(mode));
        file.WriteLine(line);
    }

    private static FileStreamOptions Options(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}
