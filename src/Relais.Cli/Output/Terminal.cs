namespace Relais.Cli.Output;

/// <summary>Colours for a terminal; plain text when the output is redirected or NO_COLOR is set.</summary>
internal sealed class Terminal(bool color)
{
    public static Terminal For(TextWriter writer) => new(
        ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null);

    public bool Color { get; } = color;

    public string Bold(string s) => Wrap("1", s);

    public string Red(string s) => Wrap("31", s);

    public string Green(string s) => Wrap("32", s);

    public string Yellow(string s) => Wrap("33", s);

    public string Dim(string s) => Wrap("2", s);

    private string Wrap(string code, string s) => Color ? $"\u001b[{code}m{s}\u001b[0m" : s;
}
