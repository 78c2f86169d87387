// Server-sent events over fetch. The run request is a POST with an Authorization header,
// which EventSource cannot send, so the stream is read from `response.body` and parsed
// here following the WHATWG event-stream rules (any line ending, multi-line data, comments,
// a leading BOM, chunks split anywhere, including inside a UTF-8 character).

export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.started = false;
    this.reset();
  }

  reset() {
    this.type = '';
    this.data = [];
    this.id = null;
  }

  feed(text) {
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A lone trailing \r may be the first half of \r\n: wait for the next chunk.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.data.length) {
        this.onEvent({ event: this.type || 'message', data: this.data.join('\n'), id: this.id });
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }

  /** At end of stream an unterminated event is dropped, as the spec says. */
  end() {
    if (this.buffer === '\r') this.line('');
    this.buffer = '';
    this.reset();
  }
}

/** Yields {event, data (parsed JSON when possible), id} from a fetch Response body. */
export async function* readSse(body) {
  const queue = [];
  const parser = new SseParser((e) => queue.push(e));
  const decoder = new TextDecoder('utf-8');
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      while (queue.length) yield parse(queue.shift());
    }
    parser.feed(decoder.decode());
    parser.end();
    while (queue.length) yield parse(queue.shift());
  } finally {
    reader.releaseLock();
  }
}

function parse(event) {
  let data = event.data;
  try {
    data = JSON.parse(event.data);
  } catch {
    // not JSON: handed over as text
  }
  return { event: event.event, data, id: event.id };
}
