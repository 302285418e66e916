use wasm_bindgen::prelude::*;

/// A newtype that represents Serde errors as JavaScript exceptions.
#[derive(Debug)]
pub struct Error(JsValue);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        #[wasm_bindgen]
        extern "C" {
            #[wasm_bindgen(js_name = String)]
            pub fn to_string(value: &JsValue) -> String;
        }

        to_string(&self.0).fmt(f)
    }
}

impl std::error::Error for Error {}

impl Error {
    /// Creates a JavaScript `Error` with a given message.
    pub fn new<T: std::fmt::Display>(msg: T) -> Self {
        Error(JsError::new(&msg.to_string()).into())
    }
}

impl serde::ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error::new(msg)
    }
}

impl serde::de::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error::new(msg)
    }

    // Patched: name the kind of the unexpected value instead of printing it, so that no
    // float formatting is reachable from deserialization.
    #[cold]
    fn invalid_type(unexp: serde::de::Unexpected, exp: &dyn serde::de::Expected) -> Self {
        Error::new(format_args!("invalid type: {}, expected {}", kind(&unexp), exp))
    }

    #[cold]
    fn invalid_value(unexp: serde::de::Unexpected, exp: &dyn serde::de::Expected) -> Self {
        Error::new(format_args!("invalid value: {}, expected {}", kind(&unexp), exp))
    }
}

/// What kind of value `unexp` is, without its value.
fn kind(unexp: &serde::de::Unexpected) -> &'static str {
    use serde::de::Unexpected::*;
    match unexp {
        Bool(_) => "a boolean",
        Unsigned(_) | Signed(_) | Float(_) => "a number",
        Char(_) => "a character",
        Str(_) => "a string",
        Bytes(_) => "bytes",
        Unit => "null",
        Option => "an optional value",
        NewtypeStruct => "a newtype struct",
        Seq => "an array",
        Map => "an object",
        Enum => "an enum",
        UnitVariant | NewtypeVariant | TupleVariant | StructVariant => "an enum variant",
        Other(_) => "another value",
    }
}

/// This conversion is needed for `?` to just work when using wasm-bindgen
/// imports that return JavaScript exceptions as `Result<T, JsValue>`.
impl From<JsValue> for Error {
    fn from(error: JsValue) -> Error {
        Error(error)
    }
}

// This conversion is needed for `?` to just work in wasm-bindgen exports
// that return `Result<T, JsValue>` to throw JavaScript exceptions.
impl From<Error> for JsValue {
    fn from(error: Error) -> JsValue {
        error.0
    }
}
