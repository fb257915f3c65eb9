namespace Retab.Runs.Benchmarks;

/// <summary>
/// CPU time from /proc (Linux): this process (the in-process service hosts), the RabbitMQ node (every
/// <c>beam.smp</c>), service processes (workers, a gateway+orchestrator process), and the whole machine, so a run can say where its CPU went and how busy
/// the machine was with other work at the same time.
/// </summary>
public sealed record CpuSnapshot(double Self, double Broker, double Processes, double MachineBusy, double MachineTotal, long Timestamp)
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ, 100 on Linux

    public static CpuSnapshot Take(IEnumerable<int> servicePids)
    {
        var (busy, total) = Machine();
        return new CpuSnapshot(
            ProcessSeconds(Environment.ProcessId),
            BrokerPids().Sum(ProcessSeconds),
            servicePids.Sum(ProcessSeconds),
            busy, total, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    public CpuDelta To(CpuSnapshot later)
    {
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(Timestamp, later.Timestamp).TotalSeconds;
        var machineTotal = later.MachineTotal - MachineTotal;
        var machineBusy = later.MachineBusy - MachineBusy;
        var cores = Environment.ProcessorCount;
        var self = later.Self - Self;
        var broker = later.Broker - Broker;
        var workers = later.Processes - Processes;
        // /proc/stat counts every core: busy share of the machine's capacity over the interval.
        var busyShare = machineTotal > 0 ? machineBusy / machineTotal : double.NaN;
        var others = Math.Max(0, busyShare * wall * cores - self - broker - workers);
        return new CpuDelta(wall, self, broker, workers, busyShare, others);
    }

    private static double ProcessSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    private static IEnumerable<int> BrokerPids()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
                continue;
            string comm;
            try
            {
                comm = File.ReadAllText(Path.Combine(folder, "comm")).Trim();
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (comm == "beam.smp")
                yield return pid;
        }
    }

    private static (double Busy, double Total) Machine()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
            var total = cpu.Sum();
            var idle = cpu[3] + cpu[4];
            return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
        }
        catch (Exception error) when (error is IOException or FormatException)
        {
            return (0, 0);
        }
    }
}

/// <summary>CPU seconds used over an interval, by whom; <see cref="MachineBusyShare"/> is 0..1 of all cores.</summary>
public sealed record CpuDelta(double WallSeconds, double Self, double Broker, double ServiceProcesses, double MachineBusyShare, double Others)
{
    public string Describe(int tests) =>
        $"CPU s: this process {Self:0.0}, broker {Broker:0.0}" +
        (ServiceProcesses > 0 ? $", service processes {ServiceProcesses:0.0}" : "") +
        $", everything else on the machine {Others:0.0} (machine {MachineBusyShare * 100:0}% busy over {WallSeconds:0.0} s); " +
        $"per 1,000 tests: services {(Self + ServiceProcesses) / tests * 1000:0.00} s, broker {Broker / tests * 1000:0.00} s";
}
