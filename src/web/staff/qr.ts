import QRCode from "qrcode";

/**
 * An `otpauth://` address as an SVG QR code, drawn on the server so the page works without JavaScript and
 * the secret never leaves for another service. Paths and fills only: nothing the Content-Security-Policy blocks.
 */
export async function qrCodeSvg(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  // Described for screen readers; the secret is also on the page as text to type.
  return svg.replace(
    "<svg ",
    '<svg role="img" aria-label="QR code for your authenticator app" class="app-qr-code" ',
  );
}
