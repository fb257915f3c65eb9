using System.Net;
using Retab.Runs.Core.Webhooks;

namespace Retab.Runs.Core.Tests.Webhooks;

public sealed class WebhookUrlsTests
{
    [Theory]
    [InlineData("169.254.169.254")] // cloud metadata
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("0.0.0.0")]
    [InlineData("100.64.0.1")]   // carrier-grade NAT
    [InlineData("100.127.255.254")]
    [InlineData("224.0.0.1")]    // multicast
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]       // IPv4-mapped
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")]           // IPv4-compatible
    [InlineData("64:ff9b::a00:1")]        // NAT64 of 10.0.0.1
    public void Inside_addresses_are_not_public(string address)
    {
        Assert.False(WebhookUrls.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void Internet_addresses_are_public(string address)
    {
        Assert.True(WebhookUrls.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("https://hooks.example.com/retab", null)]
    [InlineData("http://hooks.example.com:8080/x?y=1", null)]
    [InlineData("ftp://hooks.example.com/", "scheme")]
    [InlineData("file:///etc/passwd", "scheme")]
    [InlineData("/relative/path", "http")] // a file path on Unix, a relative URL elsewhere: refused either way
    [InlineData("not a url", "absolute")]
    [InlineData("https://user:secret@hooks.example.com/", "credentials")]
    [InlineData("https://user@hooks.example.com/", "credentials")]
    public void Urls_are_absolute_http_or_https_without_credentials(string url, string? problemMentions)
    {
        var (parsed, problem) = WebhookUrls.Parse(url);
        if (problemMentions is null)
        {
            Assert.Null(problem);
            Assert.NotNull(parsed);
        }
        else
        {
            Assert.Null(parsed);
            Assert.Contains(problemMentions, problem);
        }
    }
}
