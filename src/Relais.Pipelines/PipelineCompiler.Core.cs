namespace Relais.Pipelines;

public static partial class PipelineCompiler
{
    private static partial CompileResult CompileCore(CompileRequest request) =>
        throw new NotImplementedException("the compiler stages are being written");
}
