namespace Relais.Server.Security;

/// <summary>Recognises "no space left on device" (and "disk quota exceeded") among I/O errors.</summary>
public static class DiskFull
{
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);

    public static bool Is(IOException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.HResult is Enospc or Edquot or WindowsDiskFull
            || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase);
    }
}
