using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Retab.Runs.Benchmarks;

/// <summary>One figure of a scenario, e.g. <c>tests/s = 812.4</c>.</summary>
public sealed record Figure(string Name, double Value, string Unit, string? Detail = null);

/// <summary>A target of the issue and whether the measurement meets it.</summary>
public sealed record TargetCheck(string Name, string Target, string Measured, bool Met);

/// <summary>What one scenario measured: printed as tables and saved as JSON.</summary>
public sealed class ScenarioReport(string scenario)
{
    public string Scenario { get; } = scenario;
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? FinishedAt { get; set; }
    public MachineInfo MachineAtStart { get; } = MachineInfo.Now();
    public MachineInfo? MachineAtEnd { get; set; }
    public Dictionary<string, object?> Settings { get; } = new();
    public List<Figure> Figures { get; } = [];
    public List<TargetCheck> Targets { get; } = [];
    public List<string> Notes { get; } = [];

    /// <summary>Raw data (per-run rows, latency samples, message counts).</summary>
    public Dictionary<string, object?> Details { get; } = new();

    /// <summary>True when every exactness check of the scenario passed.</summary>
    public bool CountsExact { get; set; } = true;

    public List<string> Problems { get; } = [];

    public void Add(string name, double value, string unit, string? detail = null) => Figures.Add(new Figure(name, value, unit, detail));

    public void Target(string name, string target, string measured, bool met) => Targets.Add(new TargetCheck(name, target, measured, met));

    public void Problem(string problem)
    {
        CountsExact = false;
        Problems.Add(problem);
    }

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"== {Scenario} ==  (load average at start {MachineAtStart.LoadAverage}, end {MachineAtEnd?.LoadAverage ?? "-"}; {MachineAtStart.Cores} cores)");
        if (Settings.Count > 0)
            output.WriteLine("settings: " + string.Join(", ", Settings.Select(s => $"{s.Key}={Format(s.Value)}")));
        Table.Write(output, ["figure", "value", "unit", "detail"],
            Figures.Select(f => new[] { f.Name, Number(f.Value), f.Unit, f.Detail ?? "" }).ToList(), rightAligned: [1]);
        if (Targets.Count > 0)
        {
            output.WriteLine();
            Table.Write(output, ["target (issue 5)", "required", "measured", "met"],
                Targets.Select(t => new[] { t.Name, t.Target, t.Measured, t.Met ? "yes" : "NO" }).ToList());
        }
        foreach (var problem in Problems)
            output.WriteLine($"PROBLEM: {problem}");
        foreach (var note in Notes)
            output.WriteLine($"note: {note}");
    }

    public string Save(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{Scenario}-{StartedAt:yyyyMMdd-HHmmss}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
        return Path.GetFullPath(path);
    }

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Number(double value) => value switch
    {
        _ when double.IsNaN(value) => "n/a",
        _ when Math.Abs(value) >= 1000 => value.ToString("#,0", CultureInfo.InvariantCulture),
        _ when Math.Abs(value) >= 100 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };

    private static string Format(object? value) => value switch
    {
        null => "-",
        int[] list => string.Join(",", list),
        IEnumerable<int> list => string.Join(",", list),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}

public sealed record MachineInfo(int Cores, string LoadAverage, string Os, string Runtime, long TotalMemoryBytes)
{
    public static MachineInfo Now()
    {
        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        return new MachineInfo(Environment.ProcessorCount, load, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
            GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
    }
}

/// <summary>A plain-text table (no dependency).</summary>
public static class Table
{
    public static void Write(TextWriter output, string[] headers, IReadOnlyList<string[]> rows, int[]? rightAligned = null)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var line = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        string Row(string[] cells) =>
            "| " + string.Join(" | ", cells.Select((c, i) => rightAligned?.Contains(i) == true ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))) + " |";
        var text = new StringBuilder();
        text.AppendLine(line).AppendLine(Row(headers)).AppendLine(line);
        foreach (var row in rows)
            text.AppendLine(Row(row));
        text.AppendLine(line);
        output.Write(text.ToString());
    }
}
