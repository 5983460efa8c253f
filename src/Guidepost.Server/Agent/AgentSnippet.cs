namespace Guidepost.Server.Agent;

/// <summary>The install snippet: the same shape as Pendo's (a <c>window.pendo</c> whose methods queue their calls in
/// <c>pendo._q</c>, <c>initialize</c> first, until the agent file loads), so a page already running Pendo's snippet
/// switches to Guidepost by changing the script URL alone. The page then calls <c>pendo.initialize({visitor, account})</c>
/// once it knows who is signed in, before or after the file has loaded.</summary>
public static class AgentSnippet
{
    public static string ScriptUrl(string origin, string apiKey) => $"{origin}/agent/static/{Uri.EscapeDataString(apiKey)}/pendo.js";

    public static string For(string origin, string apiKey) => $$"""
        <script>
        (function (apiKey, host) {
          var pendo = window.pendo = window.pendo || {};
          var queue = pendo._q = pendo._q || [];
          ['initialize', 'identify', 'updateOptions', 'pageLoad', 'track'].forEach(function (method) {
            pendo[method] = pendo[method] || function () {
              var call = [method].concat([].slice.call(arguments));
              if (method === 'initialize') queue.unshift(call); else queue.push(call);
            };
          });
          var script = document.createElement('script');
          script.async = true;
          script.src = host + '/agent/static/' + apiKey + '/pendo.js';
          document.head.appendChild(script);
        })('{{apiKey}}', '{{origin}}');
        </script>
        """;
}
