using Jint.Native;
using Jint.Native.Object;

namespace Retab.Runs.Blocks;

/// <summary>Checks a returned value's nesting without recursion, before anything serializes it recursively.</summary>
internal static class OutputShape
{
    /// <summary>System.Text.Json's default depth: deeper output could not be stored or asserted on anyway.</summary>
    public const int MaxDepth = 64;

    public static bool DeeperThan(JsValue value, int maxDepth)
    {
        var seen = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(JsValue Value, int Depth)>();
        pending.Push((value, 0));
        while (pending.Count > 0)
        {
            var (current, depth) = pending.Pop();
            if (current is not ObjectInstance obj || !seen.Add(obj))
                continue; // primitives end a path; a cycle is reported by the serializer itself
            if (depth >= maxDepth)
                return true;
            foreach (var key in obj.GetOwnPropertyKeys())
            {
                if (obj.GetOwnProperty(key).Value is ObjectInstance child)
                    pending.Push((child, depth + 1));
            }
        }
        return false;
    }
}
