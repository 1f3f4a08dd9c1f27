namespace Relais.Pipelines.Variables;

/// <summary>
/// Tarjan's strongly connected components, iterative (no recursion, so long chains cannot overflow the
/// stack). Components come out dependencies first; nodes are visited in index order and edges in the
/// order given, which is the order Ruby's TSort produces.
/// </summary>
internal static class DependencyOrder
{
    public static List<List<int>> StronglyConnected(int[][] edges)
    {
        var count = edges.Length;
        var index = new int[count];
        var low = new int[count];
        var onStack = new bool[count];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var components = new List<List<int>>();
        var next = 0;
        var calls = new Stack<(int Node, int Edge)>();

        for (var root = 0; root < count; root++)
        {
            if (index[root] >= 0)
            {
                continue;
            }

            Visit(root);
            while (calls.Count > 0)
            {
                var (node, edge) = calls.Pop();
                if (edge < edges[node].Length)
                {
                    calls.Push((node, edge + 1));
                    var target = edges[node][edge];
                    if (index[target] < 0)
                    {
                        Visit(target);
                    }
                    else if (onStack[target])
                    {
                        low[node] = Math.Min(low[node], index[target]);
                    }

                    continue;
                }

                if (low[node] == index[node])
                {
                    components.Add(PopComponent(node));
                }

                if (calls.Count > 0)
                {
                    var parent = calls.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }
            }
        }

        return components;

        void Visit(int node)
        {
            index[node] = low[node] = next++;
            stack.Push(node);
            onStack[node] = true;
            calls.Push((node, 0));
        }

        List<int> PopComponent(int node)
        {
            var component = new List<int>();
            int member;
            do
            {
                member = stack.Pop();
                onStack[member] = false;
                component.Add(member);
            }
            while (member != node);

            component.Reverse();
            return component;
        }
    }
}
