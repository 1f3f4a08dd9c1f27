namespace Relais.Runner.Trace;

/// <summary>The ANSI sequences runner messages use, as GitLab's log renderer expects them.</summary>
public static class Ansi
{
    /// <summary>Resets colours.</summary>
    public const string Reset = "\e[0;m";

    /// <summary>Clears to the end of the line (after section markers).</summary>
    public const string Clear = "\e[0K";

    /// <summary>Section headers.</summary>
    public const string BoldCyan = "\e[36;1m";

    /// <summary>Notices and echoed commands.</summary>
    public const string BoldGreen = "\e[32;1m";

    /// <summary>Errors.</summary>
    public const string BoldRed = "\e[31;1m";

    /// <summary>Warnings.</summary>
    public const string Yellow = "\e[0;33m";
}
