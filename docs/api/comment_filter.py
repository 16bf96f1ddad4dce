#!/usr/bin/env python3
"""Doxygen INPUT_FILTER: cqlpp's headers document with plain // comments (the
house style); this reads them as doxygen reads ///.

- The comment block at the top of a header is the file's description.
- A // block directly above a declaration documents it.
- A trailing `member;  // text` documents that member.
- A block followed by a blank line, a preprocessor line or the end, and a
  `// ---` rule, stay plain comments.
- `<` and `>` in comment text outside `code` are escaped: the spec's
  notation (<consistency>, [string map]) is text, not HTML.
- The std::is_error_code_enum specializations are plumbing, not API: blanked.
One output line per input line, so warnings point into the header itself.
"""
import re
import sys

LEAD = re.compile(r"^(\s*)//(?!/)\s?(.*)$")
STD_SPECIALIZATION = re.compile(r"^struct std::is_error_(code|condition)_enum<")
TRAIL = re.compile(r"^([^\"]*?[;,{])(\s+)//(?!/)\s?(.*)$")


def escape(text):
    parts = text.split("`")
    for k in range(0, len(parts), 2):  # outside backticks
        parts[k] = parts[k].replace("<", "\\<").replace(">", "\\>")
    return "`".join(parts)


def doc(m):
    return f"{m.group(1)}/// {escape(m.group(2))}"


def rule(text):
    return set(text.strip()) <= set("-=/ ")


def filter_lines(lines):
    out, i, n, seen_code = [], 0, len(lines), False
    while i < n:
        if not LEAD.match(lines[i]):
            t = TRAIL.match(lines[i])
            if STD_SPECIALIZATION.match(lines[i]):
                if out and out[-1].strip() == "template <>":
                    out[-1] = "\n"
                out.append("\n")
            else:
                out.append(f"{t.group(1)}{t.group(2)}///< {escape(t.group(3))}\n" if t else lines[i])
            seen_code = seen_code or bool(lines[i].strip())
            i += 1
            continue
        j = i
        while j < n and LEAD.match(lines[j]):
            j += 1
        block = [LEAD.match(b) for b in lines[i:j]]
        following = lines[j].strip() if j < n else ""
        if not seen_code:  # the header's own description
            texts = [doc(m) for m in block]
            texts[-1] += " @file"
            out.extend(t + "\n" for t in texts)
            seen_code = True
        elif following and not following.startswith("#") and not rule(block[0].group(2)):
            out.extend(doc(m) + "\n" for m in block)
        else:
            out.extend(lines[i:j])
        i = j
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        sys.stdout.write("".join(filter_lines(f.readlines())))
