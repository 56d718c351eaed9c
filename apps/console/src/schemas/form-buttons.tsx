import type { IconButtonProps } from "@rjsf/utils";

/**
 * rjsf's own buttons draw Bootstrap glyph icons, which this console does not load: these say what they do in
 * words, so they are visible and named for screen readers and keyboard users alike.
 */
function TextButton({ text, kind, props }: { text: string; kind: string; props: IconButtonProps }) {
  const {
    registry: _registry,
    uiSchema: _uiSchema,
    iconType: _type,
    icon: _icon,
    className,
    ...rest
  } = props;
  return (
    <button type="button" className={`btn ${kind} ${className ?? ""}`} {...rest}>
      {text}
    </button>
  );
}

export const BUTTON_TEMPLATES = {
  AddButton: (props: IconButtonProps) => <TextButton text="Add" kind="btn-add" props={props} />,
  CopyButton: (props: IconButtonProps) => <TextButton text="Copy" kind="btn-copy" props={props} />,
  MoveDownButton: (props: IconButtonProps) => <TextButton text="Move down" kind="btn-move" props={props} />,
  MoveUpButton: (props: IconButtonProps) => <TextButton text="Move up" kind="btn-move" props={props} />,
  RemoveButton: (props: IconButtonProps) => <TextButton text="Remove" kind="btn-remove" props={props} />,
  ClearButton: (props: IconButtonProps) => <TextButton text="Clear" kind="btn-clear" props={props} />,
};
