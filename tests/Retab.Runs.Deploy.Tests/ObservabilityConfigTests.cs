using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Retab.Runs.Deploy.Tests;

/// <summary>
/// The observability profile's files agree with each other and with the services: Prometheus finds every replica of
/// each service on its /metrics port, and the provisioned dashboard reads the Retab.Runs series by their Prometheus
/// names from the provisioned data source.
/// </summary>
public sealed class ObservabilityConfigTests
{
    [Fact]
    public void Prometheus_discovers_every_replica_of_each_service_on_port_8080()
    {
        var config = LoadYaml(Repository.File("deploy", "prometheus", "prometheus.yml"));
        var jobs = ((YamlSequenceNode)config.Children[new YamlScalarNode("scrape_configs")]).Children.Cast<YamlMappingNode>().ToList();

        foreach (var service in new[] { "gateway", "orchestrator", "worker" })
        {
            var job = Assert.Single(jobs, j => RenderedCompose.Scalar(j, "job_name") == $"retab-runs-{service}");
            var discovery = (YamlMappingNode)Assert.Single(((YamlSequenceNode)RenderedCompose.Child(job, "dns_sd_configs")!).Children);
            Assert.Equal([service], RenderedCompose.Sequence(RenderedCompose.Child(discovery, "names")));
            Assert.Equal("A", RenderedCompose.Scalar(discovery, "type"));
            Assert.Equal("8080", RenderedCompose.Scalar(discovery, "port"));
        }
    }

    [Fact]
    public void The_dashboard_reads_the_runs_series_from_the_provisioned_data_source()
    {
        var datasources = LoadYaml(Repository.File("deploy", "grafana", "provisioning", "datasources", "prometheus.yaml"));
        var datasource = (YamlMappingNode)((YamlSequenceNode)datasources.Children[new YamlScalarNode("datasources")]).Children.Single();
        var uid = RenderedCompose.Scalar(datasource, "uid");
        Assert.Equal("http://prometheus:9090", RenderedCompose.Scalar(datasource, "url"));

        var dashboard = JsonNode.Parse(File.ReadAllText(Repository.File("deploy", "grafana", "dashboards", "retab-runs.json")))!;
        var panels = dashboard["panels"]!.AsArray().Select(p => p!).ToList();
        var expressions = panels.SelectMany(p => p["targets"]!.AsArray()).Select(t => t!["expr"]!.GetValue<string>()).ToList();
        Assert.All(panels, panel => Assert.Equal(uid, panel["datasource"]!["uid"]!.GetValue<string>()));

        // Counters as Prometheus names them (_total), histograms by their buckets, grouped by the low-cardinality tags.
        Assert.Contains(expressions, e => e.Contains("retab_runs_runs_created_total", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("retab_runs_runs_ended_total", StringComparison.Ordinal) && e.Contains("retab_run_status", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("retab_runs_tests_finished_total", StringComparison.Ordinal) && e.Contains("by (retab_verdict)", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("retab_verdict=\"error\"", StringComparison.Ordinal) && e.Contains("retab_error_code", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.StartsWith("histogram_quantile(0.95", StringComparison.Ordinal) && e.Contains("retab_runs_test_queue_wait_seconds_bucket", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.StartsWith("histogram_quantile(0.95", StringComparison.Ordinal) && e.Contains("retab_runs_run_duration_seconds_bucket", StringComparison.Ordinal));

        var provider = LoadYaml(Repository.File("deploy", "grafana", "provisioning", "dashboards", "retab-runs.yaml"));
        var options = (YamlMappingNode)RenderedCompose.Child((YamlMappingNode)((YamlSequenceNode)provider.Children[new YamlScalarNode("providers")]).Children.Single(), "options")!;
        Assert.Equal("/etc/grafana/dashboards", RenderedCompose.Scalar(options, "path"));
    }

    private static YamlMappingNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
