using Relais.GitOps.Registry;

namespace Relais.GitOps.Tests.Registry;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("127.0.0.1:5000/group/app", "127.0.0.1:5000", "group/app")]
    [InlineData("registry.example.com/group/app:1.0.0", "registry.example.com", "group/app")]
    [InlineData("localhost/app@sha256:abc", "localhost", "app")]
    [InlineData("nginx", "registry-1.docker.io", "library/nginx")]
    [InlineData("nginx:1.27", "registry-1.docker.io", "library/nginx")]
    [InlineData("bitnami/redis:7", "registry-1.docker.io", "bitnami/redis")]
    [InlineData("docker.io/nginx", "registry-1.docker.io", "library/nginx")]
    [InlineData("docker.io/bitnami/redis", "registry-1.docker.io", "bitnami/redis")]
    public void Parses_the_host_and_repository_as_Docker_does(string image, string host, string repository)
    {
        Assert.Equal(new ImageReference(host, repository), ImageReference.Parse(image));
    }
}

public sealed class TagChangesTests
{
    [Fact]
    public void The_first_scan_adds_every_tag_and_later_scans_answer_the_difference()
    {
        var first = TagChanges.Between(null, ["1.0.0", "1.0.1"]);
        Assert.Equal(["1.0.0", "1.0.1"], first.Added);
        Assert.Empty(first.Removed);

        var second = TagChanges.Between(first.Tags, ["1.0.1", "1.1.0"]);
        Assert.Equal(["1.1.0"], second.Added);
        Assert.Equal(["1.0.0"], second.Removed);

        Assert.False(TagChanges.Between(second.Tags, ["1.1.0", "1.0.1"]).Any);
    }
}

public sealed class BackOffTests
{
    [Fact]
    public void Doubles_with_jitter_up_to_the_cap_and_honours_Retry_After_within_it()
    {
        var random = new Random(1);
        var initial = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(2);
        var third = BackOff.Delay(2, initial, max, null, random);
        Assert.InRange(third.TotalMilliseconds, 400, 600);
        Assert.Equal(max, BackOff.Delay(20, initial, max, null, random));
        Assert.Equal(TimeSpan.FromSeconds(1), BackOff.Delay(0, initial, max, TimeSpan.FromSeconds(1), random));
        Assert.Equal(max, BackOff.Delay(0, initial, max, TimeSpan.FromMinutes(5), random));
    }

    [Fact]
    public void Reads_Bearer_challenge_parameters_with_quoted_commas()
    {
        var parameters = AuthChallenge.ParseParameters("realm=\"http://h/jwt/auth\",service=\"registry\",scope=\"repository:a/b:pull,push\"");
        Assert.Equal("http://h/jwt/auth", parameters["realm"]);
        Assert.Equal("registry", parameters["service"]);
        Assert.Equal("repository:a/b:pull,push", parameters["scope"]);
    }
}
