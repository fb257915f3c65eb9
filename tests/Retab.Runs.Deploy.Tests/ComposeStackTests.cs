using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Retab.Runs.Deploy.Tests;

/// <summary>
/// docker-compose.yml is safe by default, checked on what Compose itself renders from it: RETAB_RUNS_BIND opens the
/// API only, infrastructure ports follow RETAB_RUNS_INFRA_BIND (127.0.0.1 unless told), the secrets are required,
/// the services reach MongoDB as the application user, every container has a health check, and Prometheus and
/// Grafana come with the `observability` profile.
/// </summary>
public sealed partial class ComposeStackTests
{
    private const string Gateway = "gateway";
    private const string Observability = "observability";
    private const string RabbitMqPassword = "rabbit-pw-7Hq2";
    private const string MongoRootPassword = "mongo-root-pw-3Kd9";
    private const string MongoAppPassword = "mongo-app-pw-8Ws4";

    private static readonly string[] RequiredSecrets =
        ["RETAB_RUNS_RABBITMQ_PASSWORD", "RETAB_RUNS_MONGODB_PASSWORD", "RETAB_RUNS_MONGODB_APP_PASSWORD"];

    /// <summary>Every container that publishes a port besides the gateway (with the observability profile).</summary>
    private static readonly string[] Infrastructure = ["rabbitmq", "mongodb", "jaeger", "otel-collector", "prometheus", "grafana"];

    private static readonly string[] Services = [Gateway, "orchestrator", "worker"];

    private readonly ComposeCli? _compose;
    private readonly string _missing;

    public ComposeStackTests() => _compose = ComposeCli.Find(out _missing);

    [SkippableFact]
    public void Retab_runs_bind_opens_the_api_and_nothing_else()
    {
        var stack = Render(new() { ["RETAB_RUNS_BIND"] = "0.0.0.0" });

        Assert.Equal([new PublishedPort("0.0.0.0", "8080", "8080")], stack.Ports(Gateway));
        foreach (var service in stack.ServiceNames.Where(s => s != Gateway))
            Assert.All(stack.Ports(service), port => Assert.True(port.HostAddress == "127.0.0.1", $"{service} publishes {port} beyond 127.0.0.1"));
        foreach (var service in Infrastructure)
            Assert.NotEmpty(stack.Ports(service));
    }

    [SkippableFact]
    public void Retab_runs_infra_bind_moves_every_infrastructure_port_and_not_the_api()
    {
        var stack = Render(new() { ["RETAB_RUNS_INFRA_BIND"] = "0.0.0.0" });

        Assert.Equal([new PublishedPort("127.0.0.1", "8080", "8080")], stack.Ports(Gateway));
        foreach (var service in Infrastructure)
            Assert.All(stack.Ports(service), port => Assert.Equal("0.0.0.0", port.HostAddress));
        Assert.Empty(stack.Ports("orchestrator"));
        Assert.Empty(stack.Ports("worker"));
    }

    [SkippableFact]
    public void By_default_every_published_port_binds_localhost()
    {
        var stack = Render([]);

        foreach (var service in stack.ServiceNames)
            Assert.All(stack.Ports(service), port => Assert.True(port.HostAddress == "127.0.0.1", $"{service} publishes {port}"));
    }

    [SkippableTheory]
    [InlineData("RETAB_RUNS_RABBITMQ_PASSWORD")]
    [InlineData("RETAB_RUNS_MONGODB_PASSWORD")]
    [InlineData("RETAB_RUNS_MONGODB_APP_PASSWORD")]
    public void Config_fails_naming_a_required_secret_that_is_missing(string secret)
    {
        var result = Compose().Config(Repository.ComposeFile, WithSecrets(new() { [secret] = null }));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(secret, result.Error);
    }

    [SkippableTheory]
    [InlineData("RETAB_RUNS_RABBITMQ_PASSWORD")]
    [InlineData("RETAB_RUNS_MONGODB_PASSWORD")]
    [InlineData("RETAB_RUNS_MONGODB_APP_PASSWORD")]
    public void An_empty_secret_counts_as_missing(string secret)
    {
        var result = Compose().Config(Repository.ComposeFile, WithSecrets(new() { [secret] = "" }));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(secret, result.Error);
    }

    [SkippableFact]
    public void The_services_reach_mongodb_as_the_application_user_and_never_as_root()
    {
        var stack = Render(new() { ["RETAB_RUNS_MONGODB_ROOT_USER"] = "stack-root", ["RETAB_RUNS_MONGODB_USER"] = "stack-app" });

        var mongo = stack.Environment("mongodb");
        Assert.Equal("stack-root", mongo["MONGO_INITDB_ROOT_USERNAME"]);
        Assert.Equal(MongoRootPassword, mongo["MONGO_INITDB_ROOT_PASSWORD"]);
        Assert.Equal("stack-app", mongo["RETAB_RUNS_MONGODB_USER"]);
        Assert.Equal(MongoAppPassword, mongo["RETAB_RUNS_MONGODB_APP_PASSWORD"]);

        var connecting = 0;
        foreach (var service in stack.ServiceNames.Where(s => s != "mongodb"))
        {
            foreach (var (name, value) in stack.Environment(service))
            {
                Assert.False(value.Contains(MongoRootPassword, StringComparison.Ordinal), $"{service} {name} carries MongoDB's root password");
                Assert.False(value.Contains("stack-root", StringComparison.Ordinal), $"{service} {name} names MongoDB's root user");
                if (!value.StartsWith("mongodb://", StringComparison.Ordinal))
                    continue;
                connecting++;
                var uri = new Uri(value);
                Assert.Equal($"stack-app:{MongoAppPassword}", Uri.UnescapeDataString(uri.UserInfo));
                Assert.Contains("authSource=retab_runs", uri.Query);
            }
        }
        Assert.Equal(2, connecting);  // the gateway and the orchestrator; workers hold no database credentials
        Assert.DoesNotContain(stack.Environment("worker").Values, v => v.Contains("mongodb", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void The_broker_credentials_are_the_ones_given()
    {
        var stack = Render([]);

        Assert.Equal(RabbitMqPassword, stack.Environment("rabbitmq")["RABBITMQ_DEFAULT_PASS"]);
        foreach (var service in Services)
            Assert.Equal($"amqp://retab:{RabbitMqPassword}@rabbitmq:5672/", stack.Environment(service)["Bus__RabbitMqUri"]);
    }

    [SkippableFact]
    public void The_broker_accepts_messages_as_large_as_rabbitmq_3_did()
    {
        var stack = Render([]);

        var mount = Assert.Single(stack.Volumes("rabbitmq"), v => v.Target.StartsWith("/etc/rabbitmq/conf.d/", StringComparison.Ordinal));
        var setting = File.ReadAllLines(Path.Combine(Repository.Root, mount.Source))
            .Select(line => line.Trim())
            .Single(line => line.StartsWith("max_message_size", StringComparison.Ordinal));
        // 4.0 lowered the default to 16 MiB; an image document of Files:MaxBytes (50 MiB) is ~67 MiB on the bus.
        Assert.True(long.Parse(setting.Split('=')[1].Trim()) >= 128L * 1024 * 1024, setting);
    }

    [Fact]
    public void No_credential_in_the_file_has_a_default()
    {
        var file = File.ReadAllText(Repository.ComposeFile);

        // ${NAME:-default} / ${NAME-default} for any password, secret or key: only an empty default ("not given") is allowed.
        foreach (Match use in VariableWithDefault().Matches(file))
        {
            var name = use.Groups["name"].Value;
            if (Regex.IsMatch(name, "PASSWORD|SECRET|KEY|TOKEN"))
                Assert.True(use.Groups["default"].Value.Length == 0, $"{name} defaults to '{use.Groups["default"].Value}'");
        }
        foreach (var secret in RequiredSecrets)
        {
            Assert.Contains("${" + secret + ":?", file);
            Assert.DoesNotMatch(@"\$\{" + secret + @"(:?-|-)", file);
        }
        Assert.DoesNotContain("retab:retab", file);
        Assert.DoesNotContain("guest", file);
        Assert.DoesNotContain("GF_SECURITY_ADMIN_PASSWORD:", file);  // Grafana's password only through its file, never a literal
    }

    [SkippableFact]
    public void Every_container_has_a_health_check_and_waits_for_healthy_dependencies()
    {
        var stack = Render([], Observability);

        foreach (var service in stack.ServiceNames)
        {
            var healthcheck = RenderedCompose.Child(stack.Service(service), "healthcheck") as YamlMappingNode;
            Assert.True(healthcheck is not null, $"{service} has no healthcheck");
            if (service == "otel-collector")
            {
                // FROM scratch: nothing to run a check with; the file says so and disables it explicitly
                // (Compose v2 renders `disable: true`, Compose 1.29 the equivalent `test: [NONE]`).
                var disabled = RenderedCompose.Scalar(healthcheck, "disable") == "true"
                               || RenderedCompose.Sequence(RenderedCompose.Child(healthcheck, "test")) is ["NONE"];
                Assert.True(disabled, "otel-collector: health check disabled explicitly");
                continue;
            }
            var test = RenderedCompose.Sequence(RenderedCompose.Child(healthcheck, "test"));
            Assert.True(test.Count > 1 && test[0] is "CMD" or "CMD-SHELL", $"{service}: healthcheck test {string.Join(' ', test)}");
        }

        foreach (var service in Services)
        {
            var test = RenderedCompose.Sequence(RenderedCompose.Child((YamlMappingNode)RenderedCompose.Child(stack.Service(service), "healthcheck")!, "test"));
            Assert.Equal(["CMD", "retab-runs-healthcheck", "/health/ready"], test);
            var dependsOn = (YamlMappingNode)RenderedCompose.Child(stack.Service(service), "depends_on")!;
            foreach (var infrastructure in new[] { "rabbitmq", "mongodb" }.Where(d => dependsOn.Children.ContainsKey(new YamlScalarNode(d))))
                Assert.Equal("service_healthy", RenderedCompose.Scalar((YamlMappingNode)dependsOn.Children[new YamlScalarNode(infrastructure)], "condition"));
        }
    }

    [SkippableFact]
    public void The_services_expose_metrics_log_json_and_serve_health_on_their_management_listener()
    {
        var stack = Render([]);

        foreach (var service in Services)
        {
            var environment = stack.Environment(service);
            Assert.Equal("true", environment["Metrics__Prometheus"]);
            Assert.Equal("json", environment["Logging__Format"]);
        }
        Assert.Equal("http://+:8080", stack.Environment("orchestrator")["Management__Urls"]);
        Assert.Equal("http://+:8080", stack.Environment("worker")["Management__Urls"]);
    }

    [SkippableFact]
    public void Prometheus_and_grafana_come_with_the_observability_profile_only()
    {
        var stack = Render([], Observability);

        foreach (var service in stack.ServiceNames)
        {
            var profiles = RenderedCompose.Sequence(RenderedCompose.Child(stack.Service(service), "profiles"));
            if (service is "prometheus" or "grafana")
                Assert.Equal([Observability], profiles);
            else
                Assert.Empty(profiles);
        }
        Assert.Contains("prometheus", stack.ServiceNames);
        Assert.Contains("grafana", stack.ServiceNames);
    }

    private ComposeCli Compose()
    {
        Skip.If(_compose is null, _missing);
        return _compose;
    }

    private RenderedCompose Render(Dictionary<string, string?> variables, params string[] profiles)
    {
        var result = Compose().Config(Repository.ComposeFile, WithSecrets(variables), profiles);
        Assert.True(result.ExitCode == 0, $"config failed ({result.ExitCode}): {result.Error}");
        return RenderedCompose.Parse(result.Output);
    }

    private static Dictionary<string, string?> WithSecrets(Dictionary<string, string?> variables)
    {
        var all = new Dictionary<string, string?>
        {
            ["RETAB_RUNS_RABBITMQ_PASSWORD"] = RabbitMqPassword,
            ["RETAB_RUNS_MONGODB_PASSWORD"] = MongoRootPassword,
            ["RETAB_RUNS_MONGODB_APP_PASSWORD"] = MongoAppPassword,
        };
        foreach (var (name, value) in variables)
            all[name] = value;
        return all;
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Z0-9_]+):?-(?<default>[^}]*)\}")]
    private static partial Regex VariableWithDefault();
}
