namespace Relais.Bench;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Relais.Bench -- <benchmark>");
        return args.Length == 0 ? 2 : 0;
    }
}
