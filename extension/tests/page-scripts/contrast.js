// Evaluated in the panel page by test_extension_panel_runs.py: the WCAG contrast ratio of every
// visible element with its own text, its colour composited over its ancestors' backgrounds.
(() => {
    const parse = (c) => {
        let m = /rgba?\(([^)]+)\)/.exec(c);
        if (m) {
            const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
            return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
        }
        m = /color\(srgb ([^)]+)\)/.exec(c);
        if (m) {
            const p = m[1].split(/[\s\/]+/).filter(Boolean).map(Number);
            return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
        }
        throw new Error('unparsed colour ' + c);
    };
    const over = (top, under) => {
        const a = top[3] + under[3] * (1 - top[3]);
        return [0, 1, 2].map((i) => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / (a || 1)).concat(a);
    };
    const background = (el) => {
        const layers = [];
        for (let node = el; node; node = node.parentElement) layers.push(parse(getComputedStyle(node).backgroundColor));
        let colour = [255, 255, 255, 1];  // never reached: html has an opaque background
        for (const layer of layers.reverse()) colour = over(layer, colour);
        return colour;
    };
    const lum = (c) => {
        const [r, g, b] = c.slice(0, 3).map((v) => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        if (!own || !el.checkVisibility() || el.closest(':disabled')) continue;
        const bg = background(el);
        const fg = over(parse(getComputedStyle(el).color), bg);
        const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
        out.push({ el: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : ''), text: el.textContent.trim().slice(0, 30), ratio: (hi + 0.05) / (lo + 0.05) });
    }
    return out;
})
