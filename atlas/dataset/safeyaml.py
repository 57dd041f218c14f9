"""Reading YAML without aliases.

An alias (`*name`) repeats a node defined elsewhere; nested aliases multiply, so a file of a
few hundred bytes can expand to gigabytes ("billion laughs"). The atlas's files never need
them: a value is written out where it is used. The loader refuses the first alias it meets,
before anything is expanded, and says on which line.
"""

import yaml


class NoAliasLoader(yaml.SafeLoader):
    """yaml.safe_load's loader, refusing aliases."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"uses the alias *{event.anchor}; write the value out in full instead", event.start_mark)
        return super().compose_node(parent, index)


def load(text):
    """The document in text, as yaml.safe_load reads it; yaml.YAMLError when it uses an alias."""
    return yaml.load(text, Loader=NoAliasLoader)
