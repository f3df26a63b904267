"""Telegram HTML to plain text and Bot API entities, as tdlib's HTML parse mode does it.

Offsets and lengths are in UTF-16 code units, like the Bot API; a refusal is an
EntityParseError worded as Telegram words it, with UTF-8 byte offsets. Also the entities
the Telegram client marks by itself (/commands, @mentions), which the Bot API stub adds.
"""

from __future__ import annotations

import re

_TAGS = {
    "a": "text_link",
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#[xX]([0-9a-fA-F]{1,8})|#([0-9]{1,10})|([a-zA-Z]+));?")
_NAME_TOKEN = re.compile(r"[a-zA-Z0-9.\-]+")
_SPACES = " \t\r\n\f\v"
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
_MENTION = re.compile(r"(?<![A-Za-z0-9_])@[A-Za-z0-9_]{5,32}(?![A-Za-z0-9_])")


class EntityParseError(ValueError):
    """Markup that Telegram refuses; str() is the text after "can't parse entities: "."""


def utf16_len(text: str) -> int:
    """Length of text in UTF-16 code units, the unit of Bot API entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(text: str, i: int) -> tuple[str, int] | None:
    match = _ENTITY.match(text, i)
    if not match:
        return None
    hex_code, dec_code, name = match.groups()
    if name is not None:
        char = _NAMED.get(name)
        return (char, match.end()) if char else None
    code = int(hex_code, 16) if hex_code is not None else int(dec_code)
    if code == 0 or code > 0x10FFFF:
        return None
    if 0xD800 <= code <= 0xDFFF:
        raise EntityParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        )
    return chr(code), match.end()


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        decoded = _decode_entity(value, i) if value[i] == "&" else None
        if decoded:
            out.append(decoded[0])
            i = decoded[1]
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in _SPACES:
        i += 1
    return i


def _read_start_tag(text: str, begin: int) -> tuple[str, dict[str, str], int]:
    """Parse `<name attr=value ...>` at begin; return name, attributes, index after '>'."""
    i = begin + 1
    while i < len(text) and text[i] not in _SPACES and text[i] != ">":
        i += 1
    if i >= len(text):
        raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
    name = text[begin + 1 : i].lower()
    if name not in _TAGS:
        raise EntityParseError(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, begin)}'
        )
    attrs: dict[str, str] = {}
    while True:
        i = _skip_spaces(text, i)
        if i >= len(text):
            raise EntityParseError(
                f'Unclosed start tag "{name}" at byte offset {_byte_offset(text, begin)}'
            )
        if text[i] == ">":
            return name, attrs, i + 1
        attr_begin = i
        while i < len(text) and text[i] not in _SPACES and text[i] not in "=>":
            i += 1
        attr = text[attr_begin:i].lower()
        if not attr:
            raise EntityParseError(
                f'Empty attribute name in the tag "{name}" at byte offset '
                f"{_byte_offset(text, begin)}"
            )
        i = _skip_spaces(text, i)
        if i < len(text) and text[i] != "=" and name == "blockquote" and attr == "expandable":
            # Telegram accepts the one value-less attribute it documents.
            attrs[attr] = ""
            continue
        if i >= len(text) or text[i] != "=":
            raise EntityParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                f"at byte offset {_byte_offset(text, begin)}"
            )
        i = _skip_spaces(text, i + 1)
        if i >= len(text):
            raise EntityParseError(
                f'Unclosed start tag "{name}" at byte offset {_byte_offset(text, begin)}'
            )
        if text[i] in "\"'":
            end = text.find(text[i], i + 1)
            if end < 0:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            attrs[attr] = _unescape(text[i + 1 : end])
            i = end + 1
        else:
            token = _NAME_TOKEN.match(text, i)
            end = token.end() if token else i
            if end >= len(text) or (text[end] not in _SPACES and text[end] != ">"):
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {_byte_offset(text, i)}"
                )
            attrs[attr] = text[i:end]
            i = end


def _entity(name: str, attrs: dict[str, str], offset: int, length: int) -> dict | None:
    kind = _TAGS[name]
    entity: dict = {"type": kind, "offset": offset, "length": length}
    if name == "a":
        href = attrs.get("href", "")
        if not href:
            return None
        entity["url"] = href if "://" in href or href.startswith("tg:") else f"http://{href}"
    elif name == "tg-emoji":
        entity["custom_emoji_id"] = attrs["emoji-id"]
    elif name == "code" and attrs.get("class", "").startswith("language-"):
        if attrs["class"] != "language-":
            entity["language"] = attrs["class"].removeprefix("language-")
    elif name == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    return entity


def parse_html(text: str) -> tuple[str, list[dict]]:
    """Parse Telegram HTML into plain text and Bot API MessageEntity dicts."""
    out: list[str] = []
    utf16 = 0
    stack: list[tuple[str, dict[str, str], int, int]] = []  # name, attrs, offset, index
    entities: list[dict] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            decoded = _decode_entity(text, i)
            if decoded:
                out.append(decoded[0])
                utf16 += utf16_len(decoded[0])
                i = decoded[1]
                continue
        if char != "<":
            out.append(char)
            utf16 += 2 if ord(char) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        if i + 1 < len(text) and text[i + 1] == "/":
            i += 2
            name_begin = i
            while i < len(text) and text[i] not in _SPACES and text[i] != ">":
                i += 1
            end_name = text[name_begin:i].lower()
            i = _skip_spaces(text, i)
            if not stack:
                raise EntityParseError(
                    f"Unexpected end tag at byte offset {_byte_offset(text, begin)}"
                )
            if i >= len(text) or text[i] != ">":
                raise EntityParseError(
                    f"Unclosed end tag at byte offset {_byte_offset(text, begin)}"
                )
            name, attrs, offset, _ = stack.pop()
            if end_name and end_name != name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                    f'expected "</{name}>", found "</{end_name}>"'
                )
            i += 1
            if utf16 > offset:
                entity = _entity(name, attrs, offset, utf16 - offset)
                if entity:
                    entities.append(entity)
            continue
        name, attrs, i = _read_start_tag(text, begin)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{_byte_offset(text, begin)}"
            )
        if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise EntityParseError("Invalid custom emoji identifier specified")
        stack.append((name, attrs, utf16, begin))
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return "".join(out), _merge_pre_code(entities)


def _merge_pre_code(entities: list[dict]) -> list[dict]:
    """Fold `<pre><code class="language-x">` into one pre entity with a language, as tdlib."""
    merged = list(entities)
    for code in entities:
        language = code.pop("language", None) if code["type"] == "code" else None
        if language is None:
            continue
        for pre in entities:
            same_span = (pre["offset"], pre["length"]) == (code["offset"], code["length"])
            if pre["type"] == "pre" and same_span:
                pre["language"] = language
                merged.remove(code)
                break
    # Outer entities close last; on an equal span Telegram lists the outer one first.
    order = {id(e): n for n, e in enumerate(merged)}
    merged.sort(key=lambda e: (e["offset"], -e["length"], -order[id(e)]))
    return merged


def command_and_mention_entities(text: str) -> list[dict]:
    """Entities the Telegram client marks by itself: /commands and @mentions."""
    found = []
    for pattern, kind in ((_COMMAND, "bot_command"), (_MENTION, "mention")):
        for match in pattern.finditer(text):
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group()),
                }
            )
    found.sort(key=lambda e: e["offset"])
    return found
