/** A failure the user must notice: role=alert announces it as soon as it appears. */
export function ErrorBanner(props: { readonly message: string | undefined }) {
  if (!props.message) return null;
  return (
    <div role="alert" className="banner banner-error">
      {props.message}
    </div>
  );
}
