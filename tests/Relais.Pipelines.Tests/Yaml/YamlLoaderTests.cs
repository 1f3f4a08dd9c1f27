using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Tests.Yaml;

public sealed class YamlLoaderTests
{
    private static (YamlFile? File, DiagnosticBag Diagnostics) Load(string text)
    {
        var diagnostics = new DiagnosticBag();
        return (YamlLoader.Load(".gitlab-ci.yml", text, diagnostics), diagnostics);
    }

    [Fact]
    public void Keeps_positions_of_keys_and_values()
    {
        var (file, _) = Load("stages: [build]\njob:\n  script: echo hi\n");
        var job = (YamlMapping)file!.Body["job"]!;
        Assert.Equal(new SourceLocation(".gitlab-ci.yml", 3, 11), job["script"]!.Location);
        Assert.Equal(2, file.Body.Entry("job")!.Value.KeyLocation.Line);
    }

    [Fact]
    public void Merge_keys_let_explicit_keys_win_and_earlier_list_entries_win()
    {
        var (file, d) = Load("""
            .a: &a { x: a1, y: a2 }
            .b: &b { x: b1, z: b3 }
            job:
              <<: [*a, *b]
              y: own
            """);
        Assert.False(d.HasErrors);
        var job = (YamlMapping)file!.Body["job"]!;
        Assert.Equal("a1", job["x"]!.ToString());
        Assert.Equal("own", job["y"]!.ToString());
        Assert.Equal("b3", job["z"]!.ToString());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void A_repeated_key_keeps_the_later_value_in_small_and_large_hashes(int keys)
    {
        var yaml = string.Concat(Enumerable.Range(0, keys).Select(i => $"k{i}: {i}\n")) + "k1: again\n";
        var (file, _) = Load(yaml);
        Assert.Equal("again", file!.Body["k1"]!.ToString());
        Assert.Equal(keys, file.Body.Count);
    }

    [Fact]
    public void Reference_tags_are_kept_for_the_merge_stage()
    {
        var (file, _) = Load("job:\n  script:\n    - !reference [.setup, script]\n");
        var script = (YamlSequence)((YamlMapping)file!.Body["job"]!)["script"]!;
        var reference = Assert.IsType<YamlReference>(script.Items[0]);
        Assert.Equal(new[] { ".setup", "script" }, reference.Path.ToArray());
    }

    [Theory]
    [InlineData("a: yes", ScalarType.Bool)]
    [InlineData("a: 'yes'", ScalarType.String)]
    [InlineData("a: 12", ScalarType.Int)]
    [InlineData("a: 1.5", ScalarType.Float)]
    [InlineData("a: ~", ScalarType.Null)]
    [InlineData("a:", ScalarType.Null)]
    [InlineData("a: v1.2", ScalarType.String)]
    public void Plain_scalars_resolve_as_Psych_reads_them(string yaml, ScalarType expected)
    {
        var (file, _) = Load(yaml);
        Assert.Equal(expected, ((YamlScalar)file!.Body["a"]!).Type);
    }

    [Fact]
    public void Syntax_errors_carry_line_and_column()
    {
        var (file, d) = Load("job:\n  script: [a, b\n");
        Assert.Null(file);
        var error = Assert.Single(d.Items);
        Assert.Equal("yaml-syntax", error.Code);
        Assert.True(error.Location.Line >= 2);
    }

    [Fact]
    public void An_alias_bomb_ends_in_a_clear_error_quickly()
    {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 1; i < 12; i++)
        {
            bomb += $"{(char)('a' + i)}: &{(char)('a' + i)} [" + string.Join(", ", Enumerable.Repeat("*" + (char)('a' + i - 1), 10)) + "]\n";
        }

        var (file, d) = Load(bomb);
        Assert.Null(file);
        Assert.Contains(d.Items, x => x.Code == "yaml-too-large");
    }

    [Fact]
    public void Deep_nesting_ends_in_a_clear_error()
    {
        var deep = "a: " + new string('[', 500) + new string(']', 500);
        var (file, d) = Load(deep);
        Assert.Null(file);
        Assert.Contains(d.Items, x => x.Code == "yaml-too-deep");
    }

    [Fact]
    public void A_spec_header_document_is_split_from_the_body()
    {
        var (file, _) = Load("spec:\n  inputs:\n    x: {default: 1}\n---\njob:\n  script: echo\n");
        Assert.NotNull(file!.Header);
        Assert.True(file.Body.ContainsKey("job"));
    }

    [Fact]
    public void A_top_level_list_is_rejected_with_a_message()
    {
        var (_, d) = Load("- a\n- b\n");
        Assert.Contains("must be a hash", Assert.Single(d.Items).Message, StringComparison.Ordinal);
    }
}

public sealed class YamlLoaderFuzzTests
{
    private const string Sample = """
        .base: &base
          image: ruby:3.3
          variables: { A: "1", B: 'two' }
        stages: [build, test]
        build:
          <<: *base
          stage: build
          script:
            - echo "build"
            - !reference [.base, image]
          rules:
            - if: '$CI_COMMIT_BRANCH == "main"'
              when: manual
        test: { extends: .base, script: [rspec], needs: [build] }
        """;

    [Fact]
    public void Truncated_and_mutated_input_never_throws()
    {
        var random = new Random(1234);
        const string noise = "[]{}:,-&*!|>'\"#%@`\t\n ";
        for (var i = 0; i < 3000; i++)
        {
            var chars = Sample.ToCharArray().Take(random.Next(Sample.Length + 1)).ToList();
            for (var m = random.Next(4); m > 0 && chars.Count > 0; m--)
            {
                chars[random.Next(chars.Count)] = noise[random.Next(noise.Length)];
            }

            var diagnostics = new Relais.Pipelines.Diagnostics.DiagnosticBag();
            var text = new string([.. chars]);
            var file = YamlLoader.Load("f.yml", text, diagnostics);
            Assert.True(file is not null || diagnostics.HasErrors, "a file that did not load must say why: " + text);
        }
    }
}
