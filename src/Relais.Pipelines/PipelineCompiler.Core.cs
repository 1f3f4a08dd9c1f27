using Relais.Pipelines.Compilation;

namespace Relais.Pipelines;

public static partial class PipelineCompiler
{
    private static partial CompileResult CompileCore(CompileRequest request) =>
        new CompilerPipeline(new Compilation.CompilationState(request)).Run();
}
