/**
 * The browser side of the HTML report, inlined into the page as a script: draws every
 * chart with uPlot (bundled into the page, no network) and records on <body> how many
 * charts drew and how many show their series' ink (data-charts-drawn,
 * data-charts-inked), so a headless browser can check the page really rendered.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  var payload = JSON.parse(document.getElementById('report-data').textContent);
  var PALETTE = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];
  var variantColor = {};
  payload.variants.forEach(function (v, i) { variantColor[v] = PALETTE[i % PALETTE.length]; });
  var drawn = {}, inked = {};
  function rgb(hex) { return [1, 3, 5].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); }); }
  function hasInk(u, colors) {
    var c = u.ctx.canvas, img = u.ctx.getImageData(0, 0, c.width, c.height).data;
    var want = colors.map(rgb);
    for (var i = 0; i < img.length; i += 4) {
      if (img[i + 3] < 200) continue;
      for (var k = 0; k < want.length; k++) {
        var w = want[k];
        if (Math.abs(img[i] - w[0]) < 12 && Math.abs(img[i + 1] - w[1]) < 12 && Math.abs(img[i + 2] - w[2]) < 12) return true;
      }
    }
    return false;
  }
  function nineLabel(x) {
    var q = 100 * (1 - Math.pow(10, -x));
    return x === 0 ? 'p0' : 'p' + (Math.round(q * 1000) / 1000);
  }
  // Two charts per row on a wide window, one on a narrow one.
  var avail = document.documentElement.clientWidth - 48;
  var width = avail >= 1040 ? Math.floor((avail - 24) / 2) : Math.max(360, avail);
  payload.charts.forEach(function (ch, idx) {
    var box = document.createElement('section');
    box.className = 'chart';
    var h = document.createElement('h3');
    h.textContent = ch.title;
    box.appendChild(h);
    document.getElementById('charts').appendChild(box);
    var data = ch.data, xs = data[0], n = ch.series.length, colors;
    var byVariant = ch.xKind !== 'category';
    colors = ch.series.map(function (s, j) {
      if (s.color) return s.color;
      if (!byVariant) return PALETTE[(j + 1) % PALETTE.length];
      // Several series per variant (errors and drops): drops get a dashed line of the same colour.
      return variantColor[s.variant] || PALETTE[j % PALETTE.length];
    });
    var splitsAt = null;
    if (ch.xKind === 'category') {
      // One slot per (category, series): each bar has its own x, labels at group centres.
      var slots = [], cols = ch.series.map(function () { return []; });
      ch.categories.forEach(function (_, i) {
        for (var j = 0; j < n; j++) {
          slots.push(i * (n + 1) + j);
          for (var k = 0; k < n; k++) cols[k].push(k === j ? data[k + 1][i] : null);
        }
      });
      data = [slots].concat(cols);
      splitsAt = ch.categories.map(function (_, i) { return i * (n + 1) + (n - 1) / 2; });
    }
    var seen = {};
    var opts = {
      width: width, height: 240,
      legend: { live: false },
      scales: { x: ch.logX ? { time: false, distr: 3 } : { time: false }, y: ch.logY ? { distr: 3 } : { range: function (u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; } } },
      axes: [
        {
          label: ch.xLabel,
          splits: ch.xKind === 'nines' ? function () { return [0, 1, 2, 3, 4]; } : splitsAt ? function () { return splitsAt; } : undefined,
          values: ch.xKind === 'nines' ? function (u, v) { return v.map(nineLabel); } : splitsAt ? function (u, v) { return v.map(function (x) { return ch.categories[Math.round((x - (n - 1) / 2) / (n + 1))]; }); } : undefined,
        },
        // Log axes of latency reach 7 digits: room for them.
        ch.logY ? { label: ch.yLabel, size: 80 } : { label: ch.yLabel },
      ],
      series: [{ label: ch.xLabel }].concat(ch.series.map(function (s, j) {
        var dashed = s.dash !== undefined ? s.dash : byVariant && seen[s.variant];
        seen[s.variant] = true;
        var o = { label: s.label, stroke: colors[j], width: dashed ? 1 : 2, spanGaps: !!(ch.spanGaps || s.spanGaps), points: { show: (!!ch.points || ch.xKind === 'entries') && !dashed } };
        if (dashed) o.dash = [6, 4];
        if (ch.bars) { o.fill = colors[j]; o.paths = uPlot.paths.bars({ size: [0.9, 80] }); o.points = { show: false }; }
        return o;
      })),
      bands: (ch.bands || []).map(function (b) { return { series: b, fill: colors[b[0] - 1] + '33' }; }),
      hooks: {
        draw: [function (u) {
          drawn[idx] = true;
          if (hasInk(u, colors)) inked[idx] = true;
          document.body.dataset.chartsDrawn = String(Object.keys(drawn).length);
          document.body.dataset.chartsInked = String(Object.keys(inked).length);
        }],
      },
    };
    new uPlot(opts, data, box);
  });
  document.body.dataset.chartsExpected = String(payload.charts.length);
})();
`;
